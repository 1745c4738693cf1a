using MedOps.Controllers.Admission;
using MedOps.Operator.Configuration;
using MedOps.Operator.Tests.TestSupport;
using MedOps.Operator.Webhook;

namespace MedOps.Operator.Tests.Configuration;

public sealed class GuardrailsConfigTests
{
    private const string Path = "/etc/medops/config.yaml";

    private readonly FakeStartupEnvironment environment = new();

    private OperatorOptions Run(string yaml)
    {
        environment.Files[Path] = yaml;
        return Assert.IsType<ParsedCommandLine.Run>(CommandLineParser.Parse(["--config", Path], environment)).Options;
    }

    private string Error(string yaml)
    {
        environment.Files[Path] = yaml;
        return Assert.IsType<ParsedCommandLine.Invalid>(CommandLineParser.Parse(["--config", Path], environment)).Message;
    }

    [Fact]
    public void Without_a_config_file_phi_models_read_from_claims_only_and_no_storage_class_is_allowed()
    {
        var options = Assert.IsType<ParsedCommandLine.Run>(CommandLineParser.Parse([], environment)).Options;

        Assert.Equal(["pvc://"], options.PhiSourcePrefixes);
        Assert.Empty(options.PhiStorageClasses);
        Assert.Equal(GuardrailSettings.DefaultPhiSourcePrefixes, options.Guardrails().PhiSourcePrefixes);
    }

    [Fact]
    public void The_config_file_supplies_the_phi_source_prefixes_and_storage_classes()
    {
        var options = Run("""
            guardrails:
              phiSourcePrefixes:
                - pvc://
                - s3://hospital-phi-
                - gs://hospital-models/
                - https://models.hospital.example/
              phiStorageClasses:
                - encrypted-ssd
                - ceph.rbd.encrypted
            """);

        Assert.Equal(["pvc://", "s3://hospital-phi-", "gs://hospital-models/", "https://models.hospital.example/"], options.PhiSourcePrefixes);
        Assert.Equal(["encrypted-ssd", "ceph.rbd.encrypted"], options.PhiStorageClasses);
        var guardrails = options.Guardrails();
        Assert.Equal(options.PhiSourcePrefixes, guardrails.PhiSourcePrefixes);
        Assert.Equal(options.PhiStorageClasses, guardrails.PhiStorageClasses);
    }

    [Fact]
    public void A_file_without_the_new_keys_keeps_the_defaults()
    {
        var options = Run("guardrails:\n  phiEgressCIDRs: [10.0.0.0/8]\n");

        Assert.Equal(["pvc://"], options.PhiSourcePrefixes);
        Assert.Empty(options.PhiStorageClasses);
    }

    [Fact]
    public void An_empty_prefix_list_allows_no_phi_source() =>
        Assert.Empty(Run("guardrails:\n  phiSourcePrefixes: []\n").PhiSourcePrefixes);

    [Theory]
    [InlineData("http://models.hospital.example/", "is plain http, which gives patient data no transmission security: use an https:// or s3:// prefix")]
    [InlineData("HTTP://models.hospital.example/", "is plain http, which gives patient data no transmission security: use an https:// or s3:// prefix")]
    [InlineData("hf://hospital/", "is a public model hub, which PHI models may not use: mirror the model into storage you control")]
    [InlineData("https://huggingface.co/hospital/", "is a public model hub, which PHI models may not use: mirror the model into storage you control")]
    [InlineData("", "is empty: it would allow every source")]
    [InlineData("ftp://models/", "does not start with one of the model URI schemes pvc://, s3://, gs://, https://")]
    [InlineData("pvc:/models", "does not start with one of the model URI schemes pvc://, s3://, gs://, https://")]
    public void A_prefix_that_would_let_patient_data_leave_controlled_storage_is_refused_with_its_index(string prefix, string reason) =>
        Assert.Equal(
            $"invalid config file \"{Path}\": guardrails.phiSourcePrefixes[1]: \"{prefix}\" {reason}",
            Error($"guardrails:\n  phiSourcePrefixes: [\"pvc://\", \"{prefix}\"]\n"));

    [Fact]
    public void The_first_bad_prefix_is_the_one_reported() =>
        Assert.StartsWith(
            $"invalid config file \"{Path}\": guardrails.phiSourcePrefixes[0]: \"http://a/\" is plain http",
            Error("guardrails:\n  phiSourcePrefixes: [\"http://a/\", \"ftp://b/\"]\n"),
            StringComparison.Ordinal);

    [Theory]
    [InlineData("Encrypted-SSD")]
    [InlineData("encrypted_ssd")]
    [InlineData("-encrypted")]
    [InlineData("encrypted.")]
    [InlineData("")]
    public void A_storage_class_that_is_not_a_storage_class_name_is_refused_with_its_index(string storageClass) =>
        Assert.Equal(
            $"invalid config file \"{Path}\": guardrails.phiStorageClasses[1]: \"{storageClass}\" is not a StorageClass name (lower-case letters, digits, '-' and '.')",
            Error($"guardrails:\n  phiStorageClasses: [\"encrypted-ssd\", \"{storageClass}\"]\n"));

    [Fact]
    public void A_misspelt_guardrail_key_is_reported()
    {
        Assert.Equal($"invalid config file \"{Path}\": line 2, column 3: unknown key \"phiStorageClass\"", Error("guardrails:\n  phiStorageClass: [a]\n"));
    }
}
