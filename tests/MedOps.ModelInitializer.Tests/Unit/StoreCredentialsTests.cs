using MedOps.ModelInitializer.Configuration;
using MedOps.ModelInitializer.Failures;

namespace MedOps.ModelInitializer.Tests.Unit;

public sealed class StoreCredentialsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Files_of_a_mounted_secret_are_read_and_trimmed()
    {
        _folder.Write("AWS_ACCESS_KEY_ID", "AKIDFILE\n");
        _folder.Write("AWS_SECRET_ACCESS_KEY", "secret-from-file\n");
        _folder.Write("token", "bearer-token\n");

        var credentials = StoreCredentials.Read(_folder.Path, new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "AKIDENV", ["AWS_SECRET_ACCESS_KEY"] = "env" });

        Assert.Equal(new AwsKeys("AKIDFILE", "secret-from-file", null), credentials.Aws);
        Assert.Equal("bearer-token", credentials.BearerToken);
    }

    [Fact]
    public void Variables_stand_in_for_missing_files()
    {
        var credentials = StoreCredentials.Read(null, new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "AKIDENV", ["AWS_SECRET_ACCESS_KEY"] = "env", ["AWS_SESSION_TOKEN"] = "session",
        });

        Assert.Equal(new AwsKeys("AKIDENV", "env", "session"), credentials.Aws);
        Assert.Null(credentials.BearerToken);
    }

    [Fact]
    public void Nothing_is_anonymous()
    {
        var credentials = StoreCredentials.Read(_folder.Path, new Dictionary<string, string>());

        Assert.Null(credentials.Aws);
        Assert.Null(credentials.BearerToken);
    }

    [Fact]
    public void Half_a_key_pair_is_invalid()
    {
        _folder.Write("AWS_ACCESS_KEY_ID", "AKID");

        var failure = Assert.Throws<FetchFailure>(() => StoreCredentials.Read(_folder.Path, new Dictionary<string, string>()));

        Assert.Equal(FailureReason.InvalidSource, failure.Reason);
    }

    [Fact]
    public void A_missing_folder_is_invalid()
    {
        var failure = Assert.Throws<FetchFailure>(() => StoreCredentials.Read(_folder.Join("nope"), new Dictionary<string, string>()));

        Assert.Equal(FailureReason.InvalidSource, failure.Reason);
    }

    [Fact]
    public void Secrets_never_show_in_text()
    {
        var credentials = new StoreCredentials("the-token", new AwsKeys("AKID", "the-secret", "the-session"));

        Assert.DoesNotContain("the-", credentials.ToString(), StringComparison.Ordinal);
        Assert.Contains("AKID", credentials.ToString(), StringComparison.Ordinal);
    }
}
