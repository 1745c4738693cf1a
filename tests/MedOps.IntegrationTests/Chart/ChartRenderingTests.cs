using System.Text.RegularExpressions;

namespace MedOps.IntegrationTests.Chart;

/// <summary>
/// The chart renders and lints in both RBAC modes, its schema rejects unknown keys and wrong
/// types, and the rendered RBAC has no wildcard and no access to Secrets. Offline: helm only.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class ChartRenderingTests
{
    [Theory]
    [InlineData("")]
    [InlineData("rbac.namespaced=true watchNamespace=radiology")]
    [InlineData("crds.enabled=false networkPolicy.enabled=false metrics.service.enabled=false rbac.aggregateToDefaultRoles=false")]
    [InlineData("metrics.serviceMonitor.enabled=true replicaCount=0 image.digest=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public async Task Helm_lint_and_template_pass(string values)
    {
        var sets = values.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var lint = await ChartHelm.RunOfflineAsync(["lint", ChartHelm.ChartDirectory, "--strict", .. sets.SelectMany(s => new[] { "--set", s })]);
        Assert.True(lint.ExitCode == 0, $"helm lint failed:\n{lint.Output}");
        Assert.Contains("0 chart(s) failed", lint.Output, StringComparison.Ordinal);
        var rendered = await ChartHelm.TemplateAsync(sets);
        Assert.Contains("kind: Deployment", rendered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rendered_rbac_has_no_wildcards_and_no_secrets()
    {
        foreach (var sets in new[] { Array.Empty<string>(), ["rbac.namespaced=true", "watchNamespace=radiology"] })
        {
            var rendered = await ChartHelm.TemplateAsync(sets);
            var rbac = string.Join("\n---\n", Documents(rendered).Where(d => RbacKind().IsMatch(d)));
            Assert.NotEmpty(rbac);
            Assert.DoesNotMatch(@"[\[\s,]['""]?\*['""]?[\],\s]", rbac);
            Assert.DoesNotContain("secrets", rbac, StringComparison.Ordinal);
            Assert.DoesNotMatch(@"\b(escalate|bind|impersonate)\b", rbac);
        }
    }

    [Fact]
    public async Task Default_install_is_cluster_wide_with_the_lease_scoped_by_name()
    {
        var rendered = await ChartHelm.TemplateAsync();
        var operatorRole = Single(rendered, "\nkind: ClusterRole\n", "name: medops-operator\n");
        Assert.Contains("resources: [pods]", operatorRole, StringComparison.Ordinal);
        var lease = Single(rendered, "\nkind: Role\n", "name: medops-operator-leader-election\n");
        Assert.Contains("namespace: medops-system", lease, StringComparison.Ordinal);
        Assert.Contains("resourceNames: [medops-operator]", lease, StringComparison.Ordinal);
        Assert.Contains("kind: ClusterRoleBinding", rendered, StringComparison.Ordinal);
        Assert.Equal(3, Documents(rendered).Count(d => d.Contains("kind: CustomResourceDefinition", StringComparison.Ordinal)
            && d.Contains("helm.sh/resource-policy: keep", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Namespaced_mode_grants_a_role_in_the_watched_namespace_only()
    {
        var rendered = await ChartHelm.TemplateAsync("rbac.namespaced=true", "watchNamespace=radiology");
        var role = Single(rendered, "\nkind: Role\n", "name: medops-operator\n");
        Assert.Contains("namespace: radiology", role, StringComparison.Ordinal);
        Assert.DoesNotContain(Documents(rendered), d => d.Contains("kind: ClusterRoleBinding", StringComparison.Ordinal));
        Assert.DoesNotContain(Documents(rendered), d => d.Contains("\nkind: ClusterRole\n", StringComparison.Ordinal) && d.Contains("name: medops-operator\n", StringComparison.Ordinal));
        Assert.Contains("- --namespace=radiology", rendered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crd_switches_work_like_cert_managers()
    {
        Assert.DoesNotContain("kind: CustomResourceDefinition", await ChartHelm.TemplateAsync("crds.enabled=false"), StringComparison.Ordinal);
        var notKept = await ChartHelm.TemplateAsync("crds.keep=false");
        Assert.Equal(3, Documents(notKept).Count(d => d.Contains("kind: CustomResourceDefinition", StringComparison.Ordinal)));
        Assert.DoesNotContain("helm.sh/resource-policy", notKept, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operator_pods_run_with_restricted_security_and_the_config_file()
    {
        var deployment = Single(await ChartHelm.TemplateAsync("config.guardrails.phiEgressCIDRs={10.20.0.0/16}"), "\nkind: Deployment\n", "\n  name: medops-operator\n");
        foreach (var expected in new[]
        {
            "runAsNonRoot: true", "readOnlyRootFilesystem: true", "allowPrivilegeEscalation: false", "- ALL", "type: RuntimeDefault",
            "path: /healthz", "path: /readyz", "replicas: 2", "- --leader-elect", "- --config=/etc/medops/config.yaml",
            "- --metrics-bind-address=:8080", "- --health-probe-bind-address=:8081", "checksum/config:", "limits:", "requests:",
        })
        {
            Assert.Contains(expected, deployment, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("bogus=1", "additional properties 'bogus' not allowed")]
    [InlineData("rbac.bogus=true", "additional properties 'bogus' not allowed")]
    [InlineData("replicaCount=two", "/replicaCount")]
    [InlineData("crds.keep=maybe", "/crds/keep")]
    [InlineData("config.guardrails.phiEgressCIDRs={not-a-cidr}", "/config/guardrails/phiEgressCIDRs/0")]
    [InlineData("rbac.namespaced=true", "needs watchNamespace")]
    [InlineData("leaderElection.enabled=false", "needs leaderElection.enabled=true")]
    public async Task Invalid_values_are_rejected_with_the_key(string set, string expected)
    {
        var result = await ChartHelm.RunOfflineAsync("template", "medops", ChartHelm.ChartDirectory, "--set", set);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.Output, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Documents(string rendered) => rendered.Split("\n---\n");

    private static string Single(string rendered, params string[] fragments) =>
        Assert.Single(Documents(rendered), d => fragments.All(f => d.Contains(f, StringComparison.Ordinal)));

    [GeneratedRegex(@"^kind: (Cluster)?Role$", RegexOptions.Multiline)]
    private static partial Regex RbacKind();
}
