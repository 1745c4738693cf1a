namespace MedOps.Cli;

/// <summary>The help texts.</summary>
internal static class UsageText
{
    private const string ClusterFlags =
        """
          -n, --namespace NS        The namespace whose audit trail to read (required; _cluster for
                                    cluster-scoped objects).
          --audit-namespace NS      Where the operator keeps the trail's ConfigMaps (default: medops-system).
          --kubeconfig PATH         The kubeconfig (default: $KUBECONFIG, else ~/.kube/config, else in-cluster).
          --context NAME            The kubeconfig context (default: its current context).

        """;

    /// <summary><c>medops --help</c>.</summary>
    public const string Main =
        """
        medops reads the audit trail that the MedOps operator keeps for each namespace.

        Usage: medops <command> [flags]

        Commands:
          audit verify     Check that a namespace's audit trail is intact.
          audit history    Print the recorded history of one object.

        Flags:
          -h, --help       Print help (medops audit --help, medops audit verify --help).
          --version        Print the version.

        """;

    /// <summary><c>medops audit --help</c>.</summary>
    public const string Audit =
        """
        Usage: medops audit <verify|history> [flags]

          verify   --namespace NS [--head HASH]   Check every record's hash, the sequence and the links of
                                                  the namespace's chain; exit 1 naming the first break.
          history  --namespace NS KIND/NAME       Print the records of one object as a table.

        Flags:

        """ + ClusterFlags + ExitCodesText;

    /// <summary><c>medops audit verify --help</c>.</summary>
    public const string Verify =
        """
        Usage: medops audit verify --namespace NS [--head HASH] [flags]

        Checks the audit trail of NS as stored: each record's hash, the sequence numbers, each
        record's link to the one before, and that a gap at the start was pruned (an AuditPruned
        record accounts for it). With --head (the "head" of the last "audit" line in the operator's
        logs), it also finds records cut from the end.

        Flags:
          --head HASH               The head hash last seen in the logs.

        """ + ClusterFlags + ExitCodesText;

    /// <summary><c>medops audit history --help</c>.</summary>
    public const string History =
        """
        Usage: medops audit history --namespace NS KIND/NAME [flags]

        Prints the recorded history of one object (for example medicalmodel/chest-xray): time, actor,
        action, facts and seq of each record. The kind is matched in any case, also as a plural.

        Flags:

        """ + ClusterFlags + ExitCodesText;

    private const string ExitCodesText =
        """
        Exit codes: 0 done (verify: intact), 1 the trail is not intact, 2 wrong usage, 3 the cluster
        could not be read.

        """;
}
