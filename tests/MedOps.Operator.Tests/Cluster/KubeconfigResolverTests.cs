using MedOps.Operator.Cluster;
using MedOps.Operator.Tests.TestSupport;

namespace MedOps.Operator.Tests.Cluster;

public sealed class KubeconfigResolverTests
{
    private const string HomeConfig = "/home/dev/.kube/config";
    private readonly FakeStartupEnvironment environment = new() { InCluster = true };

    public KubeconfigResolverTests()
    {
        environment.Files[HomeConfig] = "home";
        environment.Files["/env/config"] = "env";
        environment.Variables["KUBECONFIG"] = "/env/config";
    }

    [Fact]
    public void The_flag_comes_first() =>
        Assert.Equal(new KubeconfigSource.File("/flag/config", "--kubeconfig"), KubeconfigResolver.Resolve("/flag/config", environment));

    [Fact]
    public void A_flag_naming_a_missing_file_is_still_used_so_that_the_error_names_it() =>
        Assert.Equal(new KubeconfigSource.File("/missing", "--kubeconfig"), KubeconfigResolver.Resolve("/missing", environment));

    [Fact]
    public void The_environment_variable_comes_second() =>
        Assert.Equal(new KubeconfigSource.File("/env/config", "$KUBECONFIG"), KubeconfigResolver.Resolve(null, environment));

    [Fact]
    public void An_empty_flag_counts_as_not_given() =>
        Assert.Equal(new KubeconfigSource.File("/env/config", "$KUBECONFIG"), KubeconfigResolver.Resolve("", environment));

    [Fact]
    public void From_a_list_in_the_variable_the_first_existing_file_is_used()
    {
        environment.Variables["KUBECONFIG"] = $"/not/there{Path.PathSeparator}/env/config{Path.PathSeparator}{HomeConfig}";
        Assert.Equal(new KubeconfigSource.File("/env/config", "$KUBECONFIG"), KubeconfigResolver.Resolve(null, environment));
    }

    [Fact]
    public void A_variable_naming_only_missing_files_is_not_skipped_silently()
    {
        environment.Variables["KUBECONFIG"] = "/not/there";
        Assert.Equal(new KubeconfigSource.File("/not/there", "$KUBECONFIG"), KubeconfigResolver.Resolve(null, environment));
    }

    [Fact]
    public void The_home_config_comes_third()
    {
        environment.Variables.Remove("KUBECONFIG");
        Assert.Equal(new KubeconfigSource.File(HomeConfig, "~/.kube/config"), KubeconfigResolver.Resolve(null, environment));
    }

    [Fact]
    public void An_empty_variable_counts_as_unset()
    {
        environment.Variables["KUBECONFIG"] = "";
        Assert.Equal(new KubeconfigSource.File(HomeConfig, "~/.kube/config"), KubeconfigResolver.Resolve(null, environment));
    }

    [Fact]
    public void In_cluster_comes_fourth()
    {
        environment.Variables.Remove("KUBECONFIG");
        environment.Files.Remove(HomeConfig);
        Assert.IsType<KubeconfigSource.InCluster>(KubeconfigResolver.Resolve(null, environment));
    }

    [Fact]
    public void Without_home_directory_in_cluster_is_used()
    {
        environment.Variables.Remove("KUBECONFIG");
        environment.HomeDirectory = null;
        Assert.IsType<KubeconfigSource.InCluster>(KubeconfigResolver.Resolve(null, environment));
    }

    [Fact]
    public void Nothing_at_all_is_a_start_up_error()
    {
        environment.Variables.Remove("KUBECONFIG");
        environment.Files.Remove(HomeConfig);
        environment.InCluster = false;

        var error = Assert.Throws<StartupException>(() => KubeconfigResolver.Resolve(null, environment));
        Assert.Equal("no kubeconfig: pass --kubeconfig, set KUBECONFIG, create ~/.kube/config, or run in a pod with a service account", error.Message);
    }
}
