using MedOps.Operator.Cluster;

namespace MedOps.Operator.Tests.Cluster;

public sealed class KubeconfigLoaderTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("medops-kubeconfig-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void A_valid_kubeconfig_loads()
    {
        var path = Write("""
            apiVersion: v1
            kind: Config
            clusters:
            - name: local
              cluster:
                server: https://127.0.0.1:6443
                insecure-skip-tls-verify: true
            users:
            - name: admin
              user:
                token: secret
            contexts:
            - name: local
              context: {cluster: local, user: admin}
            current-context: local
            """);

        var configuration = KubeconfigLoader.Load(new KubeconfigSource.File(path, "--kubeconfig"));

        Assert.Equal("https://127.0.0.1:6443/", configuration.Host.TrimEnd('/') + "/");
        Assert.Equal("secret", configuration.AccessToken);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var path = Path.Combine(directory, "absent");
        var error = Assert.Throws<StartupException>(() => KubeconfigLoader.Load(new KubeconfigSource.File(path, "$KUBECONFIG")));
        Assert.Equal($"cannot load kubeconfig \"{path}\" (from $KUBECONFIG): file not found", error.Message);
    }

    [Fact]
    public void A_directory_is_named() =>
        Assert.Equal(
            $"cannot load kubeconfig \"{directory}\" (from --kubeconfig): it is a directory, not a file",
            Assert.Throws<StartupException>(() => KubeconfigLoader.Load(new KubeconfigSource.File(directory, "--kubeconfig"))).Message);

    [Fact]
    public void Broken_yaml_is_reported_in_one_line_with_file_and_position()
    {
        var path = Write("clusters: [\n  - name: a\n users\n");
        var message = Assert.Throws<StartupException>(() => KubeconfigLoader.Load(new KubeconfigSource.File(path, "--kubeconfig"))).Message;

        Assert.StartsWith($"cannot load kubeconfig \"{path}\" (from --kubeconfig): line ", message);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void A_kubeconfig_without_a_server_is_refused()
    {
        var path = Write("apiVersion: v1\nkind: Config\n");
        var message = Assert.Throws<StartupException>(() => KubeconfigLoader.Load(new KubeconfigSource.File(path, "--kubeconfig"))).Message;
        Assert.StartsWith($"cannot load kubeconfig \"{path}\" (from --kubeconfig): ", message);
    }

    [Fact]
    public void A_context_that_does_not_exist_is_reported()
    {
        var path = Write("apiVersion: v1\nkind: Config\ncurrent-context: gone\ncontexts: []\nclusters: []\nusers: []\n");
        var message = Assert.Throws<StartupException>(() => KubeconfigLoader.Load(new KubeconfigSource.File(path, "--kubeconfig"))).Message;
        Assert.StartsWith($"cannot load kubeconfig \"{path}\" (from --kubeconfig): ", message);
        Assert.DoesNotContain('\n', message);
    }

    private string Write(string text)
    {
        var path = Path.Combine(directory, Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, text);
        return path;
    }
}
