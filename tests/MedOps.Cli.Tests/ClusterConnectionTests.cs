namespace MedOps.Cli.Tests;

public sealed class ClusterConnectionTests
{
    [Fact]
    public void The_flag_wins_even_when_its_file_is_missing()
    {
        var environment = new FakeEnvironment { Variables = { ["KUBECONFIG"] = "/etc/kc" }, Files = { "/etc/kc", "/home/alice/.kube/config" } };

        Assert.Equal(("/tmp/mine", "--kubeconfig"), ClusterConnection.ResolveKubeconfig("/tmp/mine", environment));
    }

    [Fact]
    public void Then_the_first_existing_file_of_kubeconfig_then_the_home_config()
    {
        var environment = new FakeEnvironment { Variables = { ["KUBECONFIG"] = "/a:/b" }, Files = { "/b", "/home/alice/.kube/config" } };
        Assert.Equal(("/b", "$KUBECONFIG"), ClusterConnection.ResolveKubeconfig(null, environment));

        environment.Files.Remove("/b");
        Assert.Equal(("/a", "$KUBECONFIG"), ClusterConnection.ResolveKubeconfig(null, environment));

        environment.Variables.Clear();
        Assert.Equal(("/home/alice/.kube/config", "~/.kube/config"), ClusterConnection.ResolveKubeconfig(null, environment));
    }

    [Fact]
    public void In_a_pod_without_any_file_the_service_account_is_used_else_there_is_no_kubeconfig()
    {
        var environment = new FakeEnvironment { Variables = { ["KUBERNETES_SERVICE_HOST"] = "10.0.0.1" } };
        Assert.Equal((null, "in-cluster"), ClusterConnection.ResolveKubeconfig(null, environment));

        var error = Assert.Throws<ClusterUnreadableException>(() => ClusterConnection.ResolveKubeconfig(null, new FakeEnvironment()));
        Assert.Equal("no kubeconfig: pass --kubeconfig, set KUBECONFIG or create ~/.kube/config", error.Message);
    }

    [Fact]
    public void A_missing_or_broken_kubeconfig_or_an_unknown_context_cannot_be_loaded()
    {
        var missing = Assert.Throws<ClusterUnreadableException>(() => ClusterConnection.Connect(new ClusterFlags("radiology", "medops-system", "/nonexistent/kc", null), new FakeEnvironment()));
        Assert.Equal("cannot load kubeconfig \"/nonexistent/kc\" (from --kubeconfig): file not found", missing.Message);

        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://127.0.0.1:6443'}}]\n"
                + "users: [{name: u, user: {token: t}}]\ncontexts: [{name: lab, context: {cluster: c, user: u}}]\ncurrent-context: lab\n");
            var environment = new FakeEnvironment { Files = { path } };
            Assert.NotNull(ClusterConnection.Connect(new ClusterFlags("radiology", "medops-system", path, null), environment));
            var context = Assert.Throws<ClusterUnreadableException>(() => ClusterConnection.Connect(new ClusterFlags("radiology", "medops-system", path, "prod"), environment));
            Assert.StartsWith($"cannot load kubeconfig \"{path}\" (from --kubeconfig): ", context.Message, StringComparison.Ordinal);
            Assert.Contains("prod", context.Message, StringComparison.Ordinal);

            File.WriteAllText(path, "");
            var empty = Assert.Throws<ClusterUnreadableException>(() => ClusterConnection.Connect(new ClusterFlags("radiology", "medops-system", path, null), environment));
            Assert.StartsWith($"cannot load kubeconfig \"{path}\" (from --kubeconfig): ", empty.Message, StringComparison.Ordinal);

            File.WriteAllText(path, "clusters: [unclosed");
            var broken = Assert.Throws<ClusterUnreadableException>(() => ClusterConnection.Connect(new ClusterFlags("radiology", "medops-system", path, null), environment));
            Assert.StartsWith($"cannot load kubeconfig \"{path}\" (from --kubeconfig): ", broken.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
