using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.TrainingJobs.Builders;

namespace MedOps.Controllers.Tests.TrainingJobs;

public class OutputDigestPodBuilderTests
{
    private const string Image = "localhost/medops/model-initializer:0.1.0";

    private static V1Pod Build(Action<V1Alpha1TrainingJobSpec>? change = null) => OutputDigestPodBuilder.Build(TestJobs.ChestXray(change), 3, Image);

    [Fact]
    public void The_pod_runs_the_initializers_fetch_over_the_output_uri_once()
    {
        var pod = Build();

        Assert.Equal("cxr-train-output-digest", pod.Metadata.Name);
        Assert.Equal(TestJobs.Namespace, pod.Metadata.NamespaceProperty);
        Assert.Equal("Never", pod.Spec.RestartPolicy);
        var container = Assert.Single(pod.Spec.Containers);
        Assert.Equal(("model-initializer", Image), (container.Name, container.Image));
        Assert.Equal(["fetch"], container.Args);
        Assert.Null(container.Command);
        Assert.Equal(
            [("MODEL_URI", "pvc://models/chest-xray/1.5.0"), ("MODEL_DIR", "/mnt/models")],
            container.Env.Select(e => (e.Name, e.Value)));
        Assert.DoesNotContain(container.Env, e => e.Name == "MODEL_DIGEST");
    }

    [Fact]
    public void The_output_is_mounted_read_only_at_its_path_and_the_dataset_not_at_all()
    {
        var pod = Build();

        var volume = Assert.Single(pod.Spec.Volumes);
        Assert.Equal(("models", true), (volume.PersistentVolumeClaim.ClaimName, volume.PersistentVolumeClaim.ReadOnlyProperty));
        var mount = Assert.Single(pod.Spec.Containers[0].VolumeMounts);
        Assert.Equal((volume.Name, "/mnt/models", "chest-xray/1.5.0", true), (mount.Name, mount.MountPath, mount.SubPath, mount.ReadOnlyProperty));
    }

    [Fact]
    public void An_output_at_the_claims_root_mounts_the_whole_claim()
    {
        var pod = Build(s => s.Output.Path = "");

        Assert.Null(pod.Spec.Containers[0].VolumeMounts[0].SubPath);
        Assert.Equal("pvc://models", pod.Spec.Containers[0].Env[0].Value);
    }

    [Fact]
    public void It_is_labelled_apart_from_the_workers_with_the_attempt_and_owned_by_the_job()
    {
        var pod = Build();

        Assert.Equal("output-digest", pod.Metadata.Labels["app.kubernetes.io/component"]);
        Assert.Equal("3", pod.Metadata.Labels["medops.io/attempt"]);
        Assert.Equal(TestJobs.Name, pod.Metadata.Labels["medops.io/trainingjob"]);
        Assert.Equal(TestJobs.Uid, Assert.Single(pod.Metadata.OwnerReferences).Uid);
        Assert.True(OutputDigestPodBuilder.IsDigestPod(pod));
        Assert.False(OutputDigestPodBuilder.IsDigestPod(TestJobs.Worker(0, 3, null)));
    }

    [Fact]
    public void It_runs_where_the_workers_run_without_their_gpus_or_a_token()
    {
        var pod = Build(s =>
        {
            s.NodeSelector = new Dictionary<string, string> { ["medops.io/node"] = "real" };
            s.Tolerations = [new V1Toleration { Key = "medops.io/real-node", OperatorProperty = "Exists", Effect = "NoSchedule" }];
            s.Resources.Gpu = new GpuSpec { Count = 2 };
        });

        Assert.Equal("real", pod.Spec.NodeSelector["medops.io/node"]);
        Assert.Equal("medops.io/real-node", Assert.Single(pod.Spec.Tolerations).Key);
        var resources = pod.Spec.Containers[0].Resources;
        Assert.Equal(["cpu", "memory"], resources.Limits.Keys.Order());
        Assert.Equal(resources.Limits["memory"], resources.Requests["memory"]);
        Assert.False(pod.Spec.AutomountServiceAccountToken);
        Assert.True(pod.Spec.SecurityContext.RunAsNonRoot);
        Assert.False(pod.Spec.Containers[0].SecurityContext.AllowPrivilegeEscalation);
    }
}
