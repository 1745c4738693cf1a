using System.Text.RegularExpressions;
using k8s.Models;

namespace MedOps.IntegrationTests.Chart;

/// <summary>
/// The chart renders and lints in both RBAC modes and both webhook certificate modes, its schema
/// rejects unknown keys and wrong types, the rendered RBAC has no wildcard and no access to
/// Secrets but the webhook's own, by name, and the admission webhook is registered as the operator
/// expects. Offline: helm only.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class ChartRenderingTests
{
    [Theory]
    [InlineData("")]
    [InlineData("rbac.namespaced=true watchNamespace=radiology")]
    [InlineData("crds.enabled=false networkPolicy.enabled=false metrics.service.enabled=false rbac.aggregateToDefaultRoles=false")]
    [InlineData("metrics.serviceMonitor.enabled=true replicaCount=0 image.digest=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("webhook.certManager.enabled=true")]
    [InlineData("webhook.certManager.enabled=true webhook.certManager.issuerRef.name=hospital-ca webhook.certManager.issuerRef.kind=ClusterIssuer rbac.namespaced=true watchNamespace=radiology")]
    [InlineData("webhook.url=https://127.0.0.1:9443/validate replicaCount=0")]
    [InlineData("webhook.enabled=false")]
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
    public async Task Rendered_rbac_has_no_wildcards_and_no_secrets_but_the_webhook_certificate_by_name()
    {
        foreach (var sets in new[]
        {
            Array.Empty<string>(), ["rbac.namespaced=true", "watchNamespace=radiology"], ["webhook.certManager.enabled=true"], ["webhook.enabled=false"],
        })
        {
            var rendered = await ChartHelm.TemplateAsync(sets);
            var rbac = string.Join("\n---\n", Documents(rendered).Where(d => RbacKind().IsMatch(d)));
            Assert.NotEmpty(rbac);
            Assert.DoesNotMatch(@"[\[\s,]['""]?\*['""]?[\],\s]", rbac);
            Assert.DoesNotMatch(@"\b(escalate|bind|impersonate)\b", rbac);

            var objects = ChartManifest.Parse(rendered);
            Assert.DoesNotContain(objects.OfKind("ClusterRole").SelectMany(r => r.As<V1ClusterRole>().Rules), r => r.Resources.Contains("secrets"));
            var secretRules = objects.OfKind("Role").SelectMany(r => r.As<V1Role>().Rules.Select(rule => (Role: r, Rule: rule)))
                .Where(x => x.Rule.Resources.Contains("secrets")).ToList();
            if (sets.Contains("webhook.enabled=false"))
            {
                Assert.Empty(secretRules);
                continue;
            }
            var (role, rule) = Assert.Single(secretRules);
            Assert.Equal(("medops-operator-webhook", "medops-system"), (role.Name, role.Namespace));
            Assert.Equal(["secrets"], rule.Resources);
            Assert.Equal(["medops-webhook-tls"], rule.ResourceNames);
            Assert.Subset(new HashSet<string>(["get", "list", "watch", "update", "patch"]), rule.Verbs.ToHashSet());
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
        Assert.Equal(4, Documents(rendered).Count(d => d.Contains("kind: CustomResourceDefinition", StringComparison.Ordinal)
            && d.Contains("helm.sh/resource-policy: keep", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Namespaced_mode_grants_a_role_in_the_watched_namespace_only()
    {
        var rendered = await ChartHelm.TemplateAsync("rbac.namespaced=true", "watchNamespace=radiology");
        var role = Single(rendered, "\nkind: Role\n", "name: medops-operator\n");
        Assert.Contains("namespace: radiology", role, StringComparison.Ordinal);
        Assert.DoesNotContain(Documents(rendered), d => d.Contains("\nkind: ClusterRole\n", StringComparison.Ordinal) && d.Contains("name: medops-operator\n", StringComparison.Ordinal));
        Assert.Contains("- --namespace=radiology", rendered, StringComparison.Ordinal);

        // The one cluster-wide binding is the webhook's, to cluster-scoped resources only.
        var objects = ChartManifest.Parse(rendered);
        var binding = Assert.Single(objects.OfKind("ClusterRoleBinding")).As<V1ClusterRoleBinding>();
        Assert.Equal("medops-operator-webhook", binding.RoleRef.Name);
        var clusterRole = objects.Single<V1ClusterRole>("ClusterRole", "medops-operator-webhook");
        Assert.Subset(new HashSet<string>(["validatingwebhookconfigurations", "mutatingwebhookconfigurations", "subjectaccessreviews", "storageclasses"]),
            clusterRole.Rules.SelectMany(r => r.Resources).ToHashSet());
        Assert.Equal(["medops-operator-webhook", "medops-operator-leader-election", "medops-operator-audit", "medops-operator"],
            objects.OfKind("RoleBinding").Select(b => b.Name).OrderDescending(StringComparer.Ordinal));
        Assert.DoesNotContain(ChartManifest.Parse(await ChartHelm.TemplateAsync("rbac.namespaced=true", "watchNamespace=radiology", "webhook.enabled=false")),
            o => o.Kind == "ClusterRoleBinding");
    }

    [Fact]
    public async Task Crd_switches_work_like_cert_managers()
    {
        Assert.DoesNotContain("kind: CustomResourceDefinition", await ChartHelm.TemplateAsync("crds.enabled=false"), StringComparison.Ordinal);
        var notKept = await ChartHelm.TemplateAsync("crds.keep=false");
        Assert.Equal(4, Documents(notKept).Count(d => d.Contains("kind: CustomResourceDefinition", StringComparison.Ordinal)));
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
    [InlineData("webhook.timeoutSeconds=6", "/webhook/timeoutSeconds")]
    [InlineData("webhook.timeoutSeconds=0", "/webhook/timeoutSeconds")]
    [InlineData("webhook.port=0", "/webhook/port")]
    [InlineData("webhook.url=http://127.0.0.1:9443/validate", "/webhook/url")]
    [InlineData("webhook.bogus=1", "additional properties 'bogus' not allowed")]
    [InlineData("webhook.namespaceSelector.matchExpressions[0].key=team", "/webhook/namespaceSelector/matchExpressions/0")]
    [InlineData("webhook.certManager.issuerRef.kind=ClusterIssuer", "/webhook/certManager/issuerRef")]
    [InlineData("config.guardrails.phiSourcePrefixes={hf://}", "/config/guardrails/phiSourcePrefixes/0")]
    [InlineData("config.guardrails.phiSourcePrefixes={http://pacs.hospital.org/}", "/config/guardrails/phiSourcePrefixes/0")]
    [InlineData("config.guardrails.phiSourcePrefixes={pvc://,https://huggingface.co/}", "/config/guardrails/phiSourcePrefixes/1")]
    [InlineData("config.guardrails.phiStorageClasses={Encrypted_SSD}", "/config/guardrails/phiStorageClasses/0")]
    [InlineData("watchNamespace=default", "watchNamespace equal to the release namespace")]
    public async Task Invalid_values_are_rejected_with_the_key(string set, string expected)
    {
        var result = await ChartHelm.RunOfflineAsync("template", "medops", ChartHelm.ChartDirectory, "--set", set);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Default_render_registers_a_fail_closed_webhook_for_the_three_kinds_through_the_service()
    {
        var objects = ChartManifest.Parse(await ChartHelm.TemplateAsync());
        var configuration = objects.Single<V1ValidatingWebhookConfiguration>("ValidatingWebhookConfiguration", "medops");
        Assert.Null(configuration.Metadata.Annotations);
        var webhook = Assert.Single(configuration.Webhooks);
        Assert.Equal("validate.medops.io", webhook.Name);
        Assert.Equal(["v1"], webhook.AdmissionReviewVersions);
        Assert.Equal("Fail", webhook.FailurePolicy);
        // It writes the audit trail, never for a dry run.
        Assert.Equal("NoneOnDryRun", webhook.SideEffects);
        Assert.Equal("Equivalent", webhook.MatchPolicy);
        Assert.InRange(webhook.TimeoutSeconds ?? 10, 1, 5);

        Assert.Equal(2, webhook.Rules.Count);
        var rule = webhook.Rules[0];
        Assert.Equal(["medops.io"], rule.ApiGroups);
        Assert.Equal(["*"], rule.ApiVersions);
        Assert.Equal(["CREATE", "UPDATE"], rule.Operations.Order(StringComparer.Ordinal));
        Assert.Equal(["medicalmodels", "modelapprovals", "trainingjobs", "workspaces"], rule.Resources.Order(StringComparer.Ordinal));
        Assert.Equal("Namespaced", rule.Scope);
        // DELETE for workspaces (a legal hold refuses it) and approvals (a revocation, audited).
        var deletes = webhook.Rules[1];
        Assert.Equal(["medops.io"], deletes.ApiGroups);
        Assert.Equal(["DELETE"], deletes.Operations);
        Assert.Equal(["modelapprovals", "workspaces"], deletes.Resources.Order(StringComparer.Ordinal));

        // The mutating webhook records authors and approvers, through the same Service, before validation.
        var mutating = objects.Single<V1MutatingWebhookConfiguration>("MutatingWebhookConfiguration", "medops");
        var mutate = Assert.Single(mutating.Webhooks);
        Assert.Equal(("mutate.medops.io", "Fail", "None", "Never"), (mutate.Name, mutate.FailurePolicy, mutate.SideEffects, mutate.ReinvocationPolicy));
        var mutateRule = Assert.Single(mutate.Rules);
        Assert.Equal(["CREATE", "UPDATE"], mutateRule.Operations.Order(StringComparer.Ordinal));
        Assert.Equal(["medicalmodels", "modelapprovals"], mutateRule.Resources.Order(StringComparer.Ordinal));
        Assert.Equal(("medops-webhook", "/mutate", 443), (mutate.ClientConfig.Service.Name, mutate.ClientConfig.Service.Path, mutate.ClientConfig.Service.Port));
        Assert.Null(mutate.ClientConfig.CaBundle);
        Assert.Equal(["kube-system", "medops-system"], Assert.Single(mutate.NamespaceSelector.MatchExpressions).Values.Order(StringComparer.Ordinal));

        // The operator patches the caBundle: the chart leaves it out, so an upgrade does not clear it.
        Assert.Null(webhook.ClientConfig.CaBundle);
        Assert.DoesNotMatch(@"(?m)^\s*caBundle:", Assert.Single(objects.OfKind("ValidatingWebhookConfiguration")).Yaml);
        Assert.Null(webhook.ClientConfig.Url);
        var service = webhook.ClientConfig.Service;
        Assert.Equal(("medops-system", "medops-webhook", "/validate", 443), (service.NamespaceProperty, service.Name, service.Path, service.Port));

        var exclusion = Assert.Single(webhook.NamespaceSelector.MatchExpressions);
        Assert.Equal(("kubernetes.io/metadata.name", "NotIn"), (exclusion.Key, exclusion.OperatorProperty));
        Assert.Equal(["kube-system", "medops-system"], exclusion.Values.Order(StringComparer.Ordinal));
        Assert.Null(webhook.NamespaceSelector.MatchLabels);

        // The Service in front of every operator pod's webhook port, and the empty Secret the operator fills.
        var webhookService = objects.Single<V1Service>("Service", "medops-webhook");
        Assert.Equal("medops-system", webhookService.Metadata.NamespaceProperty);
        var port = Assert.Single(webhookService.Spec.Ports);
        Assert.Equal((443, "webhook"), (port.Port, port.TargetPort.Value));
        Assert.Equal("operator", webhookService.Spec.Selector["app.kubernetes.io/component"]);
        var secret = objects.Single<V1Secret>("Secret", "medops-webhook-tls");
        Assert.Equal(("medops-system", "Opaque"), (secret.Metadata.NamespaceProperty, secret.Type));
        Assert.Null(secret.Data);
        Assert.Null(secret.StringData);
        Assert.Empty(objects.OfKind("Certificate"));
        Assert.Empty(objects.OfKind("Issuer"));

        // The operator serves it: flags and the named port, which the NetworkPolicy lets in.
        var container = Assert.Single(objects.Single<V1Deployment>("Deployment", "medops-operator").Spec.Template.Spec.Containers);
        Assert.Subset(container.Args.ToHashSet(), new HashSet<string>([
            "--webhook-bind-address=:9443",
            "--webhook-secret=medops-system/medops-webhook-tls",
            "--webhook-service=medops-system/medops-webhook",
            "--webhook-configuration=medops",
        ]));
        Assert.DoesNotContain(container.Args, a => a.StartsWith("--webhook-cert-issuer", StringComparison.Ordinal));
        Assert.Contains(container.Ports, p => p.Name == "webhook" && p.ContainerPort == 9443);
        var policy = objects.Single<V1NetworkPolicy>("NetworkPolicy", "medops-operator");
        Assert.Contains(policy.Spec.Ingress, i => i.FromProperty is null && i.Ports.Any(p => p.Port.Value == "webhook"));
    }

    [Fact]
    public async Task Webhook_values_reach_the_configuration_and_the_deployment()
    {
        var objects = ChartManifest.Parse(await ChartHelm.TemplateAsync(
            "webhook.port=10443", "webhook.timeoutSeconds=3", "watchNamespace=radiology",
            "webhook.namespaceSelector.matchLabels.medops\\.io/tier=clinical",
            "webhook.namespaceSelector.matchExpressions[0].key=team",
            "webhook.namespaceSelector.matchExpressions[0].operator=In",
            "webhook.namespaceSelector.matchExpressions[0].values={radiology,cardiology}"));
        var webhook = Assert.Single(objects.Single<V1ValidatingWebhookConfiguration>("ValidatingWebhookConfiguration", "medops").Webhooks);
        Assert.Equal(3, webhook.TimeoutSeconds);
        // ANDed: the built-in exclusion, the watched namespace, then the values' expressions and labels.
        Assert.Equal(
            [
                "kubernetes.io/metadata.name NotIn medops-system,kube-system",
                "kubernetes.io/metadata.name In radiology",
                "team In radiology,cardiology",
            ],
            webhook.NamespaceSelector.MatchExpressions.Select(e => $"{e.Key} {e.OperatorProperty} {string.Join(',', e.Values)}"));
        Assert.Equal("clinical", Assert.Single(webhook.NamespaceSelector.MatchLabels, l => l.Key == "medops.io/tier").Value);
        var container = Assert.Single(objects.Single<V1Deployment>("Deployment", "medops-operator").Spec.Template.Spec.Containers);
        Assert.Contains("--webhook-bind-address=:10443", container.Args);
        Assert.Contains(container.Ports, p => p.Name == "webhook" && p.ContainerPort == 10443);
    }

    [Fact]
    public async Task Webhook_url_replaces_the_service_reference()
    {
        var objects = ChartManifest.Parse(await ChartHelm.TemplateAsync("webhook.url=https://127.0.0.1:9443/validate", "replicaCount=0"));
        var webhook = Assert.Single(objects.Single<V1ValidatingWebhookConfiguration>("ValidatingWebhookConfiguration", "medops").Webhooks);
        Assert.Equal("https://127.0.0.1:9443/validate", webhook.ClientConfig.Url);
        Assert.Null(webhook.ClientConfig.Service);
        Assert.False(objects.Has("Service", "medops-webhook"));
        // The operator (out of cluster) still issues the certificate into the Secret.
        Assert.True(objects.Has("Secret", "medops-webhook-tls"));
    }

    [Fact]
    public async Task Disabled_webhook_renders_no_webhook_objects_and_no_webhook_flags()
    {
        var rendered = await ChartHelm.TemplateAsync("webhook.enabled=false");
        var objects = ChartManifest.Parse(rendered);
        Assert.Empty(objects.OfKind("ValidatingWebhookConfiguration"));
        Assert.Empty(objects.OfKind("Secret"));
        Assert.Empty(objects.OfKind("Certificate"));
        Assert.Empty(objects.OfKind("Issuer"));
        Assert.DoesNotContain(objects, o => o.Name.Contains("webhook", StringComparison.Ordinal) || o.Name.EndsWith("-declassifier", StringComparison.Ordinal));
        var container = Assert.Single(objects.Single<V1Deployment>("Deployment", "medops-operator").Spec.Template.Spec.Containers);
        Assert.DoesNotContain(container.Args, a => a.StartsWith("--webhook", StringComparison.Ordinal));
        Assert.DoesNotContain(container.Ports, p => p.Name == "webhook");
        var policy = objects.Single<V1NetworkPolicy>("NetworkPolicy", "medops-operator");
        Assert.DoesNotContain(policy.Spec.Ingress, i => i.Ports.Any(p => p.Port.Value == "webhook"));
        Assert.DoesNotContain(objects.OfKind("ClusterRole").SelectMany(r => r.As<V1ClusterRole>().Rules).SelectMany(r => r.Resources),
            r => r is "validatingwebhookconfigurations" or "subjectaccessreviews" or "storageclasses");
    }

    [Fact]
    public async Task Cert_manager_mode_renders_a_certificate_the_ca_injection_and_the_external_issuer_flag()
    {
        var objects = ChartManifest.Parse(await ChartHelm.TemplateAsync("webhook.certManager.enabled=true"));
        var configuration = objects.Single<V1ValidatingWebhookConfiguration>("ValidatingWebhookConfiguration", "medops");
        Assert.Equal("medops-system/medops-webhook", configuration.Metadata.Annotations["cert-manager.io/inject-ca-from"]);
        Assert.Null(Assert.Single(configuration.Webhooks).ClientConfig.CaBundle);

        var certificate = Assert.Single(objects.OfKind("Certificate"));
        Assert.Equal(("medops-webhook", "medops-system"), (certificate.Name, certificate.Namespace));
        Assert.Contains("apiVersion: cert-manager.io/v1\n", certificate.Yaml, StringComparison.Ordinal);
        foreach (var expected in new[]
        {
            "secretName: medops-webhook-tls\n", "- medops-webhook.medops-system.svc\n", "- medops-webhook.medops-system.svc.cluster.local\n",
            "name: medops-selfsigned\n", "kind: Issuer\n", "group: cert-manager.io\n",
        })
        {
            Assert.Contains(expected, certificate.Yaml, StringComparison.Ordinal);
        }
        var issuer = Assert.Single(objects.OfKind("Issuer"));
        Assert.Equal(("medops-selfsigned", "medops-system"), (issuer.Name, issuer.Namespace));
        Assert.Contains("selfSigned: {}", issuer.Yaml, StringComparison.Ordinal);

        // cert-manager writes the Secret: the chart does not render one, and the operator only reads it.
        Assert.Empty(objects.OfKind("Secret"));
        var container = Assert.Single(objects.Single<V1Deployment>("Deployment", "medops-operator").Spec.Template.Spec.Containers);
        Assert.Contains("--webhook-cert-issuer=external", container.Args);
        Assert.Contains("--webhook-secret=medops-system/medops-webhook-tls", container.Args);
        Assert.DoesNotContain(container.Args, a => a.StartsWith("--webhook-configuration", StringComparison.Ordinal));
        var secretRule = Assert.Single(objects.Single<V1Role>("Role", "medops-operator-webhook").Rules);
        Assert.Equal(["get", "list", "watch"], secretRule.Verbs);
        Assert.DoesNotContain(objects.Single<V1ClusterRole>("ClusterRole", "medops-operator-webhook").Rules, r => r.Resources.Contains("validatingwebhookconfigurations"));

        // A given issuer replaces the chart's self-signed one.
        var withIssuer = ChartManifest.Parse(await ChartHelm.TemplateAsync("webhook.certManager.enabled=true",
            "webhook.certManager.issuerRef.name=hospital-ca", "webhook.certManager.issuerRef.kind=ClusterIssuer"));
        Assert.Empty(withIssuer.OfKind("Issuer"));
        var issuerRef = Assert.Single(withIssuer.OfKind("Certificate")).Yaml;
        Assert.Contains("name: hospital-ca\n", issuerRef, StringComparison.Ordinal);
        Assert.Contains("kind: ClusterIssuer\n", issuerRef, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Webhook_rbac_is_the_certificate_secret_by_name_and_the_cluster_scoped_reads()
    {
        var objects = ChartManifest.Parse(await ChartHelm.TemplateAsync());
        var role = objects.Single<V1Role>("Role", "medops-operator-webhook");
        Assert.Equal("medops-system", role.Metadata.NamespaceProperty);
        var secretRule = Assert.Single(role.Rules);
        Assert.Equal([""], secretRule.ApiGroups);
        Assert.Equal(["secrets"], secretRule.Resources);
        Assert.Equal(["medops-webhook-tls"], secretRule.ResourceNames);
        Assert.Equal(["get", "list", "watch", "update", "patch"], secretRule.Verbs);
        var roleBinding = objects.Single<V1RoleBinding>("RoleBinding", "medops-operator-webhook");
        Assert.Equal(("Role", "medops-operator-webhook"), (roleBinding.RoleRef.Kind, roleBinding.RoleRef.Name));
        Assert.Equal(("ServiceAccount", "medops-operator", "medops-system"), (roleBinding.Subjects[0].Kind, roleBinding.Subjects[0].Name, roleBinding.Subjects[0].NamespaceProperty));

        var clusterRole = objects.Single<V1ClusterRole>("ClusterRole", "medops-operator-webhook");
        Assert.Equal(
            [
                "admissionregistration.k8s.io validatingwebhookconfigurations,mutatingwebhookconfigurations [medops] get,list,watch,update,patch",
                "authorization.k8s.io subjectaccessreviews [] create",
                "storage.k8s.io storageclasses [] get,list,watch",
            ],
            clusterRole.Rules.Select(r => $"{string.Join(',', r.ApiGroups)} {string.Join(',', r.Resources)} [{string.Join(',', r.ResourceNames ?? [])}] {string.Join(',', r.Verbs)}"));
        var clusterBinding = objects.Single<V1ClusterRoleBinding>("ClusterRoleBinding", "medops-operator-webhook");
        Assert.Equal(("ClusterRole", "medops-operator-webhook"), (clusterBinding.RoleRef.Kind, clusterBinding.RoleRef.Name));
        Assert.Equal(("medops-operator", "medops-system"), (clusterBinding.Subjects[0].Name, clusterBinding.Subjects[0].NamespaceProperty));

        // The webhook reads the claims and training jobs a request names, where the operator watches them.
        var operatorRules = objects.Single<V1ClusterRole>("ClusterRole", "medops-operator").Rules;
        Assert.Contains(operatorRules, r => r.Resources.SequenceEqual(["persistentvolumeclaims"]) && r.Verbs.Contains("get"));
        Assert.Contains(operatorRules, r => r.ApiGroups.SequenceEqual(["medops.io"]) && r.Resources.SequenceEqual(["trainingjobs"]) && r.Verbs.Contains("get"));
        // Each resource of the operator's rules is granted once.
        var granted = operatorRules.SelectMany(r => r.ApiGroups.SelectMany(g => r.Resources.Select(res => $"{g}/{res}"))).ToList();
        Assert.Equal(granted.Count, granted.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Declassifier_role_grants_only_the_declassify_verb_and_is_aggregated_into_nothing()
    {
        var objects = ChartManifest.Parse(await ChartHelm.TemplateAsync());
        var declassifier = objects.Single<V1ClusterRole>("ClusterRole", "medops-declassifier");
        Assert.Null(declassifier.AggregationRule);
        Assert.DoesNotContain(declassifier.Metadata.Labels.Keys, k => k.StartsWith("rbac.authorization.k8s.io/aggregate-to", StringComparison.Ordinal));
        var rule = Assert.Single(declassifier.Rules);
        Assert.Equal(["medops.io"], rule.ApiGroups);
        Assert.Equal(["medicalmodels", "trainingjobs", "workspaces"], rule.Resources.Order(StringComparer.Ordinal));
        Assert.Equal(["declassify"], rule.Verbs);
        // Nobody gets it from the chart: no binding refers to it, and the aggregated roles do not carry the verb.
        Assert.DoesNotContain(objects, o => o.Kind.EndsWith("Binding", StringComparison.Ordinal) && o.Yaml.Contains("medops-declassifier", StringComparison.Ordinal));
        Assert.DoesNotContain(objects.OfKind("ClusterRole").Where(o => o.Name != "medops-declassifier").SelectMany(r => r.As<V1ClusterRole>().Rules), r => r.Verbs.Contains("declassify"));
    }

    [Fact]
    public async Task Guardrail_values_reach_the_operators_config_file()
    {
        var config = ConfigFile(await ChartHelm.TemplateAsync());
        Assert.Contains("phiSourcePrefixes:\n  - pvc://\n", config, StringComparison.Ordinal);
        Assert.Contains("phiStorageClasses: []\n", config, StringComparison.Ordinal);
        Assert.Contains("phiEgressCIDRs: []\n", config, StringComparison.Ordinal);

        config = ConfigFile(await ChartHelm.TemplateAsync(
            "config.guardrails.phiSourcePrefixes={pvc://,s3://hospital-phi-}", "config.guardrails.phiStorageClasses={encrypted-ssd,medops-simulated}"));
        Assert.Contains("phiSourcePrefixes:\n  - pvc://\n  - s3://hospital-phi-\n", config, StringComparison.Ordinal);
        Assert.Contains("phiStorageClasses:\n  - encrypted-ssd\n  - medops-simulated\n", config, StringComparison.Ordinal);

        static string ConfigFile(string rendered) =>
            ChartManifest.Parse(rendered).Single<V1ConfigMap>("ConfigMap", "medops-operator-config").Data["config.yaml"];
    }

    private static IEnumerable<string> Documents(string rendered) => rendered.Split("\n---\n");

    private static string Single(string rendered, params string[] fragments) =>
        Assert.Single(Documents(rendered), d => fragments.All(f => d.Contains(f, StringComparison.Ordinal)));

    [GeneratedRegex(@"^kind: (Cluster)?Role$", RegexOptions.Multiline)]
    private static partial Regex RbacKind();
}
