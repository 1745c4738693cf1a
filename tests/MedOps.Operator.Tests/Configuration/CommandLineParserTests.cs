using MedOps.Operator.Configuration;
using MedOps.Operator.Tests.TestSupport;

namespace MedOps.Operator.Tests.Configuration;

public sealed class CommandLineParserTests
{
    private readonly FakeStartupEnvironment environment = new();

    [Fact]
    public void No_flags_give_controller_runtime_defaults()
    {
        var options = Run();

        Assert.Null(options.KubeconfigPath);
        Assert.False(options.LeaderElect);
        Assert.Equal("default", options.LeaderElectionNamespace);
        Assert.Equal(TimeSpan.FromSeconds(15), options.LeaseDuration);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RenewDeadline);
        Assert.Equal(TimeSpan.FromSeconds(2), options.RetryPeriod);
        Assert.Equal(":8080", options.MetricsBindAddress?.ToString());
        Assert.Equal(":8081", options.HealthProbeBindAddress.ToString());
        Assert.Null(options.WatchNamespace);
        Assert.Equal(4, options.MaxConcurrentReconciles);
        Assert.Equal("localhost/medops/model-initializer:0.1.0", options.ModelInitializerImage);
        Assert.Empty(options.PhiEgressCidrs);
        Assert.Null(options.ConfigFilePath);
    }

    [Fact]
    public void Values_are_accepted_after_an_equals_sign_or_as_the_next_argument()
    {
        var options = Run(
            "--kubeconfig=/k/config", "--namespace", "clinic-a",
            "--max-concurrent-reconciles=8", "--model-initializer-image", "registry.local/init:2",
            "--metrics-bind-address", "127.0.0.1:9090", "--health-probe-bind-address=[::1]:9091");

        Assert.Equal("/k/config", options.KubeconfigPath);
        Assert.Equal("clinic-a", options.WatchNamespace);
        Assert.Equal(8, options.MaxConcurrentReconciles);
        Assert.Equal("registry.local/init:2", options.ModelInitializerImage);
        Assert.Equal("127.0.0.1:9090", options.MetricsBindAddress?.ToString());
        Assert.Equal("[::1]:9091", options.HealthProbeBindAddress.ToString());
    }

    [Fact]
    public void A_single_dash_works_as_with_go_flags() =>
        Assert.Equal("clinic-a", Run("-namespace=clinic-a").WatchNamespace);

    [Fact]
    public void A_trailing_double_dash_ends_the_flags() => Assert.Equal("a", Run("--namespace=a", "--").WatchNamespace);

    [Theory]
    [InlineData(new string[0], null)]
    [InlineData(new[] { "--kube-api-qps=50" }, 50.0)]
    [InlineData(new[] { "--kube-api-qps", "-1" }, -1.0)]
    [InlineData(new[] { "--kube-api-qps=0" }, -1.0)]
    public void The_client_side_rate_limit_is_auto_unless_given_and_minus_one_turns_it_off(string[] args, double? expected) =>
        Assert.Equal(expected, Run(args).KubeApiQps);

    [Fact]
    public void The_last_occurrence_of_a_flag_wins() =>
        Assert.Equal(6, Run("--max-concurrent-reconciles=2", "--max-concurrent-reconciles=6").MaxConcurrentReconciles);

    [Theory]
    [InlineData(new[] { "--leader-elect" }, true)]
    [InlineData(new[] { "--leader-elect=true" }, true)]
    [InlineData(new[] { "--leader-elect=false" }, false)]
    [InlineData(new[] { "--leader-elect=1" }, true)]
    [InlineData(new[] { "--leader-elect=F" }, false)]
    public void Leader_elect_is_a_switch_with_an_optional_value(string[] args, bool expected) =>
        Assert.Equal(expected, Run(args).LeaderElect);

    [Fact]
    public void A_switch_does_not_swallow_the_next_argument() =>
        Assert.Equal("unexpected argument \"false\" (run with --help)", Error("--leader-elect", "false"));

    [Fact]
    public void Durations_use_go_syntax()
    {
        var options = Run("--leader-elect", "--leader-election-lease-duration=1m", "--leader-election-renew-deadline", "30s", "--leader-election-retry-period=500ms");

        Assert.Equal(TimeSpan.FromMinutes(1), options.LeaseDuration);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RenewDeadline);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.RetryPeriod);
    }

    [Fact]
    public void Metrics_can_be_disabled_with_zero() => Assert.Null(Run("--metrics-bind-address=0").MetricsBindAddress);

    [Fact]
    public void An_empty_kubeconfig_or_namespace_means_not_set()
    {
        var options = Run("--kubeconfig=", "--namespace=");
        Assert.Null(options.KubeconfigPath);
        Assert.Null(options.WatchNamespace);
    }

    [Fact]
    public void The_lease_namespace_defaults_to_the_pods_namespace()
    {
        environment.Files[CommandLineParser.InClusterNamespaceFile] = "medops-system\n";
        Assert.Equal("medops-system", Run().LeaderElectionNamespace);
    }

    [Fact]
    public void An_explicit_lease_namespace_beats_the_pods_namespace()
    {
        environment.Files[CommandLineParser.InClusterNamespaceFile] = "medops-system";
        Assert.Equal("leases", Run("--leader-election-namespace", "leases").LeaderElectionNamespace);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("-help")]
    public void Help_is_recognised(string flag) =>
        Assert.IsType<ParsedCommandLine.ShowHelp>(CommandLineParser.Parse(["--namespace=a", flag], environment));

    [Fact]
    public void Version_is_recognised() =>
        Assert.IsType<ParsedCommandLine.ShowVersion>(CommandLineParser.Parse(["--version"], environment));

    [Theory]
    [InlineData(new[] { "--foo" }, "unknown flag \"--foo\" (run with --help)")]
    [InlineData(new[] { "--foo=bar" }, "unknown flag \"--foo\" (run with --help)")]
    [InlineData(new[] { "-x" }, "unknown flag \"-x\" (run with --help)")]
    [InlineData(new[] { "---namespace=a" }, "unexpected argument \"---namespace=a\" (run with --help)")]
    [InlineData(new[] { "run" }, "unexpected argument \"run\" (run with --help)")]
    [InlineData(new[] { "--", "run" }, "unexpected argument \"run\" (run with --help)")]
    [InlineData(new[] { "--namespace" }, "flag --namespace needs a value (run with --help)")]
    [InlineData(new[] { "--namespace", "--leader-elect" }, "flag --namespace needs a value (run with --help)")]
    [InlineData(new[] { "--leader-elect=yes" }, "invalid value \"yes\" for flag --leader-elect: expected true or false (run with --help)")]
    [InlineData(new[] { "--max-concurrent-reconciles=four" }, "invalid value \"four\" for flag --max-concurrent-reconciles: expected a whole number (run with --help)")]
    [InlineData(new[] { "--max-concurrent-reconciles=0" }, "invalid value \"0\" for flag --max-concurrent-reconciles: must be at least 1 (run with --help)")]
    [InlineData(new[] { "--max-concurrent-reconciles", "-3" }, "invalid value \"-3\" for flag --max-concurrent-reconciles: must be at least 1 (run with --help)")]
    [InlineData(new[] { "--leader-election-lease-duration=15" }, "invalid value \"15\" for flag --leader-election-lease-duration: expected a positive duration such as 15s, 500ms or 1m (run with --help)")]
    [InlineData(new[] { "--leader-election-retry-period=-2s" }, "invalid value \"-2s\" for flag --leader-election-retry-period: expected a positive duration such as 15s, 500ms or 1m (run with --help)")]
    [InlineData(new[] { "--metrics-bind-address=8080" }, "invalid value \"8080\" for flag --metrics-bind-address: expected [host]:port, for example :8080 or 127.0.0.1:8080 (run with --help)")]
    [InlineData(new[] { "--health-probe-bind-address=0" }, "invalid value \"0\" for flag --health-probe-bind-address: the health probes cannot be disabled (run with --help)")]
    [InlineData(new[] { "--metrics-bind-address=:9000", "--health-probe-bind-address=127.0.0.1:9000" }, "--metrics-bind-address and --health-probe-bind-address must use different ports (run with --help)")]
    [InlineData(new[] { "--namespace=Clinic_A" }, "invalid value \"Clinic_A\" for flag --namespace: not a valid namespace name (lower-case letters, digits and '-', at most 63) (run with --help)")]
    [InlineData(new[] { "--model-initializer-image=" }, "invalid value \"\" for flag --model-initializer-image: not an image reference (run with --help)")]
    [InlineData(new[] { "--config=" }, "flag --config needs a file name (run with --help)")]
    [InlineData(new[] { "--kube-api-qps=fast" }, "invalid value \"fast\" for flag --kube-api-qps: expected a number (-1 turns the client-side limit off) (run with --help)")]
    public void Bad_command_lines_give_one_clear_sentence(string[] args, string expected) =>
        Assert.Equal(expected, Error(args));

    [Fact]
    public void Every_error_is_a_single_line()
    {
        environment.Files["/c.yaml"] = "guardrails:\n  phiEgressCIDRs: [\"10.0.0.0/8\",\n";
        var message = Error("--config", "/c.yaml");
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain('\r', message);
    }

    [Fact]
    public void Lease_timings_are_checked_like_client_go_when_leader_election_is_on()
    {
        Assert.Equal(
            "--leader-election-lease-duration (10s) must be longer than --leader-election-renew-deadline (10s) (run with --help)",
            Error("--leader-elect", "--leader-election-lease-duration=10s"));
        Assert.Equal(
            "--leader-election-renew-deadline (2s) must be longer than 1.2 × --leader-election-retry-period (2s) (run with --help)",
            Error("--leader-elect", "--leader-election-renew-deadline=2s"));
    }

    [Fact]
    public void Lease_timings_are_not_checked_without_leader_election() =>
        Assert.Equal(TimeSpan.FromSeconds(1), Run("--leader-election-lease-duration=1s").LeaseDuration);

    [Fact]
    public void The_config_file_supplies_guardrails_and_defaults()
    {
        environment.Files["/etc/medops/config.yaml"] = """
            guardrails:
              phiEgressCIDRs:
                - 10.0.0.0/8
                - fd00::/8
            defaults:
              modelInitializerImage: registry.local/init:1
            """;

        var options = Run("--config", "/etc/medops/config.yaml");

        Assert.Equal(["10.0.0.0/8", "fd00::/8"], options.PhiEgressCidrs);
        Assert.Equal("registry.local/init:1", options.ModelInitializerImage);
        Assert.Equal("/etc/medops/config.yaml", options.ConfigFilePath);
    }

    [Fact]
    public void Flags_override_the_config_file()
    {
        environment.Files["/c.yaml"] = "defaults:\n  modelInitializerImage: from-file:1\n";
        Assert.Equal("from-flag:2", Run("--model-initializer-image=from-flag:2", "--config=/c.yaml").ModelInitializerImage);
    }

    [Fact]
    public void An_empty_config_file_changes_nothing()
    {
        environment.Files["/c.yaml"] = "";
        Assert.Equal(OperatorOptions.DefaultModelInitializerImage, Run("--config=/c.yaml").ModelInitializerImage);
    }

    [Fact]
    public void A_missing_config_file_is_named() =>
        Assert.Equal("cannot read config file \"/nope.yaml\": file not found", Error("--config=/nope.yaml"));

    [Fact]
    public void An_unreadable_config_file_is_named()
    {
        environment.UnreadableFiles.Add("/c.yaml");
        Assert.Equal("cannot read config file \"/c.yaml\": Access to the path '/c.yaml' is denied.", Error("--config=/c.yaml"));
    }

    [Fact]
    public void An_unknown_key_in_the_config_file_is_reported_with_its_position()
    {
        environment.Files["/c.yaml"] = "guardrails:\n  phiEgressCidrs: []\n";
        Assert.Equal("invalid config file \"/c.yaml\": line 2, column 3: unknown key \"phiEgressCidrs\"", Error("--config=/c.yaml"));
    }

    [Fact]
    public void Broken_yaml_is_reported_with_its_position()
    {
        environment.Files["/c.yaml"] = "guardrails: [\n";
        Assert.StartsWith("invalid config file \"/c.yaml\": line ", Error("--config=/c.yaml"));
    }

    [Fact]
    public void A_wrongly_typed_value_is_reported()
    {
        environment.Files["/c.yaml"] = "guardrails:\n  phiEgressCIDRs: 10.0.0.0/8\n";
        Assert.StartsWith("invalid config file \"/c.yaml\": line 2, column ", Error("--config=/c.yaml"));
    }

    [Fact]
    public void A_duplicate_key_is_reported()
    {
        environment.Files["/c.yaml"] = "defaults:\n  modelInitializerImage: a:1\n  modelInitializerImage: b:1\n";
        Assert.StartsWith("invalid config file \"/c.yaml\": line 3, column 3: ", Error("--config=/c.yaml"));
    }

    [Theory]
    [InlineData("10.0.0/8")]
    [InlineData("10.0.0.1/8")]
    [InlineData("10.0.0.0")]
    [InlineData("everywhere")]
    public void Phi_egress_cidrs_must_be_cidrs(string cidr)
    {
        environment.Files["/c.yaml"] = $"guardrails:\n  phiEgressCIDRs: [\"192.168.0.0/16\", \"{cidr}\"]\n";
        Assert.Equal(
            $"invalid config file \"/c.yaml\": guardrails.phiEgressCIDRs[1]: \"{cidr}\" is not a CIDR such as 10.0.0.0/8 (host bits must be zero)",
            Error("--config=/c.yaml"));
    }

    [Fact]
    public void Usage_text_lists_every_flag()
    {
        var usage = UsageText.Build();
        foreach (var flag in OperatorFlags.All)
        {
            Assert.Contains($"--{flag.Name}", usage);
        }

        Assert.Contains("--help", usage);
        Assert.Contains("--version", usage);
    }

    private OperatorOptions Run(params string[] args) =>
        Assert.IsType<ParsedCommandLine.Run>(CommandLineParser.Parse(args, environment)).Options;

    private string Error(params string[] args) =>
        Assert.IsType<ParsedCommandLine.Invalid>(CommandLineParser.Parse(args, environment)).Message;
}
