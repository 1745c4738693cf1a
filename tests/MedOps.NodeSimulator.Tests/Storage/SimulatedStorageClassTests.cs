using System.Net;
using System.Text;
using k8s.Models;
using MedOps.NodeSimulator.Storage;
using MedOps.Testing;

namespace MedOps.NodeSimulator.Tests.Storage;

public class SimulatedStorageClassTests
{
    private const string StorageClassesPath = "/apis/storage.k8s.io/v1/storageclasses";

    [Fact]
    public void The_class_is_the_simulated_default_of_the_simulators_provisioner()
    {
        var storageClass = SimulatedStorageClass.Build(isDefault: true);

        Assert.Equal(("storage.k8s.io/v1", "StorageClass", "medops-simulated"), (storageClass.ApiVersion, storageClass.Kind, storageClass.Metadata.Name));
        Assert.Equal("true", storageClass.Metadata.Annotations["storageclass.kubernetes.io/is-default-class"]);
        Assert.Equal("true", storageClass.Metadata.Labels["medops.io/simulated"]);
        // The provisioner the simulated volumes already name in pv.kubernetes.io/provisioned-by.
        Assert.Equal(StoragePlanner.ProvisionerName, storageClass.Provisioner);
        Assert.Equal(StoragePlanner.ProvisionerName, StoragePlanner.NewVolume(new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = "c", NamespaceProperty = "n", Uid = "u" },
            Spec = new V1PersistentVolumeClaimSpec(),
        }).Metadata.Annotations[StoragePlanner.ProvisionedByAnnotation]);
        Assert.True(storageClass.AllowVolumeExpansion);
        Assert.Equal(("Delete", "Immediate"), (storageClass.ReclaimPolicy, storageClass.VolumeBindingMode));
        Assert.True(SimulatedStorageClass.IsDefault(storageClass));
    }

    [Fact]
    public void An_ordinary_class_has_no_default_annotation()
    {
        var storageClass = SimulatedStorageClass.Build(isDefault: false);

        Assert.Null(storageClass.Metadata.Annotations);
        Assert.False(SimulatedStorageClass.IsDefault(storageClass));
    }

    [Theory]
    [InlineData("storageclass.kubernetes.io/is-default-class", "true", true)]
    [InlineData("storageclass.beta.kubernetes.io/is-default-class", "true", true)]
    [InlineData("storageclass.kubernetes.io/is-default-class", "false", false)]
    [InlineData("storageclass.kubernetes.io/is-default-class", "True", false)]
    [InlineData("example.com/other", "true", false)]
    public void Default_classes_are_recognised_as_the_api_server_does(string annotation, string value, bool isDefault)
    {
        var storageClass = new V1StorageClass { Metadata = new V1ObjectMeta { Name = "fast", Annotations = new Dictionary<string, string> { [annotation] = value } } };

        Assert.Equal(isDefault, SimulatedStorageClass.IsDefault(storageClass));
        Assert.Equal(isDefault ? ["fast"] : [], SimulatedStorageClass.OtherDefaults([storageClass, SimulatedStorageClass.Build(isDefault: true)]));
    }

    [Fact]
    public async Task A_missing_class_is_created_as_the_default()
    {
        using var api = new FakeApiServer();
        api.Serve(StorageClassesPath, List());
        using var client = Client(api);
        var output = new StringWriter();

        await SimulatedStorageClass.EnsureAsync(client, Log(output), CancellationToken.None);

        var create = Assert.Single(api.Writes);
        Assert.Equal($"POST {StorageClassesPath}", create.Line);
        Assert.Equal("medops-simulated", create.Body!["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("true", create.Body["metadata"]!["annotations"]!["storageclass.kubernetes.io/is-default-class"]!.GetValue<string>());
        Assert.Equal("true", create.Body["metadata"]!["labels"]!["medops.io/simulated"]!.GetValue<string>());
        Assert.Equal(StoragePlanner.ProvisionerName, create.Body["provisioner"]!.GetValue<string>());
        Assert.True(create.Body["allowVolumeExpansion"]!.GetValue<bool>());
        Assert.Equal("Delete", create.Body["reclaimPolicy"]!.GetValue<string>());
        Assert.Equal("Immediate", create.Body["volumeBindingMode"]!.GetValue<string>());
        Assert.Contains("storageclass medops-simulated: created (the default class)", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_existing_class_is_left_as_it_is()
    {
        using var api = new FakeApiServer();
        api.Serve(StorageClassesPath, List("""{"metadata": {"name": "medops-simulated"}, "provisioner": "medops.io/node-simulator"}"""));
        using var client = Client(api);
        var output = new StringWriter();

        await SimulatedStorageClass.EnsureAsync(client, Log(output), CancellationToken.None);

        Assert.Empty(api.Writes);
        Assert.Contains("storageclass medops-simulated: already there", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_conflict_on_create_means_it_is_already_there()
    {
        using var api = new FakeApiServer();
        api.Serve(StorageClassesPath, List());
        api.Intercept = request => request.Method == HttpMethod.Post
            ? new HttpResponseMessage(HttpStatusCode.Conflict)
            {
                Content = new StringContent("""{"kind": "Status", "status": "Failure", "reason": "AlreadyExists", "code": 409}""", Encoding.UTF8, "application/json"),
            }
            : null;
        using var client = Client(api);
        var output = new StringWriter();

        await SimulatedStorageClass.EnsureAsync(client, Log(output), CancellationToken.None);

        Assert.Single(api.Writes);
        Assert.Contains("storageclass medops-simulated: already there", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_another_default_class_ours_is_created_as_an_ordinary_class()
    {
        using var api = new FakeApiServer();
        api.Serve(StorageClassesPath, List(
            """{"metadata": {"name": "standard", "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}}, "provisioner": "example.com/disk"}"""));
        using var client = Client(api);
        var output = new StringWriter();

        await SimulatedStorageClass.EnsureAsync(client, Log(output), CancellationToken.None);

        var create = Assert.Single(api.Writes);
        Assert.Null(create.Body!["metadata"]!["annotations"]);
        Assert.Contains("warning: storageclass standard is already the default: creating medops-simulated as an ordinary class", output.ToString(), StringComparison.Ordinal);
    }

    private static string List(params string[] items) =>
        $$"""{"apiVersion": "storage.k8s.io/v1", "kind": "StorageClassList", "metadata": {"resourceVersion": "1"}, "items": [{{string.Join(",", items)}}]}""";

    private static SimulatorLog Log(TextWriter output) => new(output, TimeProvider.System);

    /// <summary>A client of the fake whose responses name their request, as HttpClient's own handler's do (the typed calls need it).</summary>
    private static k8s.Kubernetes Client(FakeApiServer api) =>
        new(new k8s.KubernetesClientConfiguration { Host = "https://127.0.0.1:6443" }, new NamingTheRequest(), api);

    private sealed class NamingTheRequest : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            response.RequestMessage ??= request;
            return response;
        }
    }
}
