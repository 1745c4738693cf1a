using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.TrainingJobs.Builders;

namespace MedOps.Controllers.Tests.TrainingJobs;

public class WorkerPodBuilderTests
{
    private static V1Container Container(V1Pod pod) => Assert.Single(pod.Spec.Containers);

    private static string? Env(V1Pod pod, string name) => Container(pod).Env.Single(e => e.Name == name).Value;

    [Fact]
    public void The_pod_is_named_after_the_rank_and_is_its_own_hostname_under_the_job_subdomain()
    {
        var pod = WorkerPodBuilder.Build(TestJobs.ChestXray(), 2, 1);

        Assert.Equal("cxr-train-worker-2", pod.Metadata.Name);
        Assert.Equal(TestJobs.Namespace, pod.Metadata.NamespaceProperty);
        Assert.Equal("cxr-train-worker-2", pod.Spec.Hostname);
        Assert.Equal("cxr-train", pod.Spec.Subdomain);
        Assert.Equal("Never", pod.Spec.RestartPolicy);
        Assert.Equal("v1", pod.ApiVersion);
        Assert.Equal("Pod", pod.Kind);
    }

    [Fact]
    public void The_pod_carries_the_child_labels_and_the_attempt_but_none_of_the_jobs_own_labels()
    {
        var pod = WorkerPodBuilder.Build(TestJobs.ChestXray(), 0, 3);

        Assert.Equal(new Dictionary<string, string>
        {
            ["app.kubernetes.io/managed-by"] = "medops-operator",
            ["app.kubernetes.io/part-of"] = "medops",
            ["app.kubernetes.io/component"] = "training",
            ["medops.io/trainingjob"] = TestJobs.Name,
            ["medops.io/attempt"] = "3",
        }, pod.Metadata.Labels);
        Assert.Null(pod.Metadata.Annotations);
    }

    [Fact]
    public void The_pod_is_controlled_by_the_job()
    {
        var owner = Assert.Single(WorkerPodBuilder.Build(TestJobs.ChestXray(), 0, 1).Metadata.OwnerReferences);

        Assert.Equal("medops.io/v1alpha1", owner.ApiVersion);
        Assert.Equal("TrainingJob", owner.Kind);
        Assert.Equal(TestJobs.Name, owner.Name);
        Assert.Equal(TestJobs.Uid, owner.Uid);
        Assert.True(owner.Controller);
        Assert.True(owner.BlockOwnerDeletion);
    }

    [Fact]
    public void Every_topology_and_mount_variable_is_set_before_the_users()
    {
        var pod = WorkerPodBuilder.Build(TestJobs.ChestXray(), 3, 1);

        Assert.Equal(
            ["WORLD_SIZE", "RANK", "MASTER_ADDR", "MASTER_PORT", "MEDOPS_DATA_DIR", "MEDOPS_OUTPUT_DIR", "NCCL_DEBUG"],
            Container(pod).Env.Select(e => e.Name));
        Assert.Equal("4", Env(pod, "WORLD_SIZE"));
        Assert.Equal("3", Env(pod, "RANK"));
        Assert.Equal("cxr-train-worker-0.cxr-train.radiology.svc", Env(pod, "MASTER_ADDR"));
        Assert.Equal("29500", Env(pod, "MASTER_PORT"));
        Assert.Equal("/data", Env(pod, "MEDOPS_DATA_DIR"));
        Assert.Equal("/output", Env(pod, "MEDOPS_OUTPUT_DIR"));
        Assert.Equal("INFO", Env(pod, "NCCL_DEBUG"));
    }

    [Fact]
    public void A_user_variable_cannot_override_the_operators_and_the_last_duplicate_wins()
    {
        var job = TestJobs.ChestXray(s => s.Env =
        [
            new V1EnvVar { Name = "RANK", Value = "7" },
            new V1EnvVar { Name = "MEDOPS_SIM_EXIT_CODE", Value = "1" },
            new V1EnvVar { Name = "MEDOPS_SIM_EXIT_CODE", Value = "0" },
        ]);

        var pod = WorkerPodBuilder.Build(job, 1, 1);

        Assert.Equal("1", Env(pod, "RANK"));
        Assert.Equal("0", Env(pod, "MEDOPS_SIM_EXIT_CODE"));
        Assert.Single(Container(pod).Env, e => e.Name == "MEDOPS_SIM_EXIT_CODE");
    }

    [Fact]
    public void The_dataset_is_mounted_read_only_at_data_and_the_output_path_at_output()
    {
        var job = TestJobs.ChestXray(s => s.Dataset.SubPath = "2024/frontal");
        var pod = WorkerPodBuilder.Build(job, 0, 1);

        var dataset = pod.Spec.Volumes.Single(v => v.Name == "dataset").PersistentVolumeClaim;
        Assert.Equal("cxr-2024", dataset.ClaimName);
        Assert.True(dataset.ReadOnlyProperty);
        var output = pod.Spec.Volumes.Single(v => v.Name == "output").PersistentVolumeClaim;
        Assert.Equal("models", output.ClaimName);
        Assert.Null(output.ReadOnlyProperty);

        var mounts = Container(pod).VolumeMounts;
        var data = mounts.Single(m => m.Name == "dataset");
        Assert.Equal("/data", data.MountPath);
        Assert.True(data.ReadOnlyProperty);
        Assert.Equal("2024/frontal", data.SubPath);
        var outputMount = mounts.Single(m => m.Name == "output");
        Assert.Equal("/output", outputMount.MountPath);
        Assert.Null(outputMount.ReadOnlyProperty);
        Assert.Equal("chest-xray/1.5.0", outputMount.SubPath);
    }

    [Fact]
    public void Empty_sub_paths_mount_the_claims_root()
    {
        var job = TestJobs.ChestXray(s =>
        {
            s.Dataset.SubPath = "";
            s.Output.Path = null;
        });

        Assert.All(Container(WorkerPodBuilder.Build(job, 0, 1)).VolumeMounts, m => Assert.Null(m.SubPath));
    }

    [Fact]
    public void Image_command_and_args_are_the_specs_and_empty_lists_are_omitted()
    {
        var container = Container(WorkerPodBuilder.Build(TestJobs.ChestXray(), 0, 1));
        Assert.Equal("worker", container.Name);
        Assert.Equal("pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime", container.Image);
        Assert.Equal(["python", "train.py"], container.Command);
        Assert.Equal(["--epochs", "20"], container.Args);

        var bare = Container(WorkerPodBuilder.Build(TestJobs.ChestXray(s => { s.Command = []; s.Args = null; }), 0, 1));
        Assert.Null(bare.Command);
        Assert.Null(bare.Args);
    }

    [Fact]
    public void Cpu_and_memory_requests_equal_limits_and_there_is_no_gpu_without_a_count()
    {
        var pod = WorkerPodBuilder.Build(TestJobs.ChestXray(), 0, 1);
        var resources = Container(pod).Resources;

        Assert.Equal("8", resources.Limits["cpu"].ToString());
        Assert.Equal("32Gi", resources.Limits["memory"].ToString());
        Assert.Equal(resources.Limits.Keys.Order(), resources.Requests.Keys.Order());
        Assert.DoesNotContain("nvidia.com/gpu", resources.Limits.Keys);
        Assert.Null(pod.Spec.Tolerations);
        Assert.Null(pod.Spec.Affinity);
    }

    [Fact]
    public void Gpu_workers_get_the_gpu_limit_the_toleration_and_the_product_and_memory_affinity()
    {
        var job = TestJobs.ChestXray(s => s.Resources.Gpu = new GpuSpec { Count = 2, Products = ["NVIDIA-A100-SXM4-80GB"], MinMemory = "40Gi" });
        var pod = WorkerPodBuilder.Build(job, 0, 1);
        var resources = Container(pod).Resources;

        Assert.Equal("2", resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Equal("2", resources.Requests["nvidia.com/gpu"].ToString());
        var toleration = Assert.Single(pod.Spec.Tolerations);
        Assert.Equal(("nvidia.com/gpu", "Exists", "NoSchedule"), (toleration.Key, toleration.OperatorProperty, toleration.Effect));
        var term = Assert.Single(pod.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms);
        Assert.Contains(term.MatchExpressions, e => e.Key == "nvidia.com/gpu.product" && e.OperatorProperty == "In" && e.Values.SequenceEqual(["NVIDIA-A100-SXM4-80GB"]));
        Assert.Contains(term.MatchExpressions, e => e.Key == "nvidia.com/gpu.memory" && e.OperatorProperty == "Gt" && e.Values.SequenceEqual(["40959"]));
    }

    [Fact]
    public void Scheduler_and_priority_class_pass_through_and_empty_ones_are_omitted()
    {
        var pod = WorkerPodBuilder.Build(TestJobs.ChestXray(s => { s.SchedulerName = "volcano"; s.PriorityClassName = "research-low"; }), 0, 1);
        Assert.Equal("volcano", pod.Spec.SchedulerName);
        Assert.Equal("research-low", pod.Spec.PriorityClassName);

        var plain = WorkerPodBuilder.Build(TestJobs.ChestXray(s => { s.SchedulerName = ""; s.PriorityClassName = ""; }), 0, 1);
        Assert.Null(plain.Spec.SchedulerName);
        Assert.Null(plain.Spec.PriorityClassName);
    }

    [Fact]
    public void The_pod_meets_the_restricted_standard_and_mounts_no_token()
    {
        var pod = WorkerPodBuilder.Build(TestJobs.ChestXray(), 0, 1);

        Assert.False(pod.Spec.AutomountServiceAccountToken);
        Assert.True(pod.Spec.SecurityContext.RunAsNonRoot);
        Assert.Equal("RuntimeDefault", pod.Spec.SecurityContext.SeccompProfile.Type);
        Assert.False(Container(pod).SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], Container(pod).SecurityContext.Capabilities.Drop);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Attempts_count_from_one(int attempt) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkerPodBuilder.Build(TestJobs.ChestXray(), 0, attempt));

    [Theory]
    [InlineData("cxr-train-worker-0", 0)]
    [InlineData("cxr-train-worker-12", 12)]
    [InlineData("cxr-train-worker-012", null)]
    [InlineData("cxr-train-worker-", null)]
    [InlineData("other-worker-1", null)]
    [InlineData("cxr-train-worker-1x", null)]
    public void Ranks_are_read_back_from_canonical_pod_names_only(string name, int? rank) =>
        Assert.Equal(rank, TrainingWorkers.RankOf(TestJobs.Name, name));

    [Theory]
    [InlineData("models", "chest-xray/1.5.0", "pvc://models/chest-xray/1.5.0")]
    [InlineData("models", "", "pvc://models")]
    [InlineData("models", null, "pvc://models")]
    public void The_output_uri_names_the_claim_and_path(string claim, string? path, string uri) =>
        Assert.Equal(uri, TrainingWorkers.OutputUri(new TrainingOutput { ClaimName = claim, Path = path }));

    [Fact]
    public void The_workers_get_the_node_selector_and_tolerations_of_the_spec()
    {
        var pod = WorkerPodBuilder.Build(TestJobs.ChestXray(s =>
        {
            s.NodeSelector = new Dictionary<string, string> { ["medops.io/pool"] = "training" };
            s.Tolerations = [new V1Toleration { Key = "medops.io/training", OperatorProperty = "Equal", Value = "yes", Effect = "NoSchedule" }];
        }), 0, 1);

        Assert.Equal("training", pod.Spec.NodeSelector["medops.io/pool"]);
        var toleration = pod.Spec.Tolerations.First();
        Assert.Equal(("medops.io/training", "Equal", "yes", "NoSchedule"), (toleration.Key, toleration.OperatorProperty, toleration.Value, toleration.Effect));
    }
}
