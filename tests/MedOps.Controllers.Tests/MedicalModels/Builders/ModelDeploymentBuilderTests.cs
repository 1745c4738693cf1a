using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.MedicalModels.Builders;

namespace MedOps.Controllers.Tests.MedicalModels.Builders;

public class ModelDeploymentBuilderTests
{
    private static V1Deployment Build(Action<V1Alpha1MedicalModelSpec>? change = null, ModelServingDefaults? defaults = null)
    {
        var model = TestModels.ChestXray(change);
        return ModelDeploymentBuilder.Build(model, TestModels.SourceOf(model), defaults ?? TestModels.Defaults);
    }

    private static V1Container Server(V1Deployment deployment) => Assert.Single(deployment.Spec.Template.Spec.Containers);

    private static V1Container Initializer(V1Deployment deployment) => Assert.Single(deployment.Spec.Template.Spec.InitContainers);

    private static Dictionary<string, string> Env(V1Container container) => container.Env.ToDictionary(e => e.Name, e => e.Value);

    [Fact]
    public void The_deployment_is_an_apps_v1_deployment_named_after_the_model_in_its_namespace()
    {
        var deployment = Build();

        Assert.Equal("apps/v1", deployment.ApiVersion);
        Assert.Equal("Deployment", deployment.Kind);
        Assert.Equal(TestModels.Name, deployment.Metadata.Name);
        Assert.Equal(TestModels.Namespace, deployment.Metadata.NamespaceProperty);
    }

    [Fact]
    public void The_deployment_and_its_pods_carry_the_child_labels_and_none_of_the_model_labels_or_annotations()
    {
        var deployment = Build();

        Assert.Equal(TestModels.ChildLabels, deployment.Metadata.Labels);
        Assert.Equal(TestModels.ChildLabels, deployment.Spec.Template.Metadata.Labels);
        Assert.Null(deployment.Metadata.Annotations);
        Assert.Null(deployment.Spec.Template.Metadata.Annotations);
    }

    [Fact]
    public void The_deployment_selects_its_pods_by_the_selector_label_only()
    {
        var deployment = Build();

        Assert.Equal(TestModels.SelectorLabels, deployment.Spec.Selector.MatchLabels);
        Assert.Null(deployment.Spec.Selector.MatchExpressions);
    }

    [Fact]
    public void The_deployment_is_controlled_by_the_model()
    {
        var owner = Assert.Single(Build().Metadata.OwnerReferences);

        Assert.Equal(("medops.io/v1alpha1", "MedicalModel", TestModels.Name, TestModels.Uid), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid));
        Assert.True(owner.Controller);
        Assert.True(owner.BlockOwnerDeletion);
    }

    [Fact]
    public void The_server_container_runs_the_runtime_image_with_its_command_and_args()
    {
        var server = Server(Build(s =>
        {
            s.Runtime.Command = ["tritonserver"];
            s.Runtime.Args = ["--model-repository=/mnt/models", "--strict-readiness=true"];
        }));

        Assert.Equal("server", server.Name);
        Assert.Equal("nvcr.io/nvidia/tritonserver:24.08-py3", server.Image);
        Assert.Equal(["tritonserver"], server.Command);
        Assert.Equal(["--model-repository=/mnt/models", "--strict-readiness=true"], server.Args);
    }

    [Fact]
    public void Omitted_or_empty_command_and_args_leave_the_image_defaults()
    {
        Assert.Null(Server(Build()).Command);
        Assert.Null(Server(Build()).Args);
        var empty = Server(Build(s =>
        {
            s.Runtime.Command = [];
            s.Runtime.Args = [];
        }));
        Assert.Null(empty.Command);
        Assert.Null(empty.Args);
    }

    [Fact]
    public void The_server_gets_the_model_dir_name_and_version_before_the_user_env()
    {
        var server = Server(Build(s => s.Runtime.Env =
        [
            new V1EnvVar { Name = "OMP_NUM_THREADS", Value = "4" },
            new V1EnvVar { Name = "HF_TOKEN", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "hf", Key = "token" } } },
        ]));

        Assert.Equal(["MODEL_DIR", "MEDOPS_MODEL_NAME", "MEDOPS_MODEL_VERSION", "OMP_NUM_THREADS", "HF_TOKEN"], server.Env.Select(e => e.Name));
        var env = Env(server);
        Assert.Equal("/mnt/models", env["MODEL_DIR"]);
        Assert.Equal(TestModels.Name, env["MEDOPS_MODEL_NAME"]);
        Assert.Equal("1.4.0", env["MEDOPS_MODEL_VERSION"]);
        Assert.Equal("4", env["OMP_NUM_THREADS"]);
        Assert.Equal("token", server.Env[4].ValueFrom.SecretKeyRef.Key);
    }

    [Fact]
    public void User_env_cannot_override_the_operator_variables_and_each_name_appears_once()
    {
        var server = Server(Build(s => s.Runtime.Env =
        [
            new V1EnvVar { Name = "MODEL_DIR", Value = "/elsewhere" },
            new V1EnvVar { Name = "LOG_LEVEL", Value = "info" },
            new V1EnvVar { Name = "MEDOPS_MODEL_VERSION", Value = "9.9.9" },
            new V1EnvVar { Name = "LOG_LEVEL", Value = "debug" },
        ]));

        // Server-side apply refuses a list with two entries of one name.
        Assert.Equal(["MODEL_DIR", "MEDOPS_MODEL_NAME", "MEDOPS_MODEL_VERSION", "LOG_LEVEL"], server.Env.Select(e => e.Name));
        var env = Env(server);
        Assert.Equal("/mnt/models", env["MODEL_DIR"]);
        Assert.Equal("1.4.0", env["MEDOPS_MODEL_VERSION"]);
        Assert.Equal("debug", env["LOG_LEVEL"]);
    }

    [Fact]
    public void The_server_exposes_the_runtime_port_as_http()
    {
        var port = Assert.Single(Server(Build()).Ports);

        Assert.Equal(("http", 8000, "TCP"), (port.Name, port.ContainerPort, port.Protocol));
    }

    [Fact]
    public void The_default_runtime_port_is_8080()
    {
        var model = TestModels.ChestXray();
        model.Spec.Runtime = new ModelRuntime { Image = "kserve/sklearnserver:v0.14.0" };

        var deployment = ModelDeploymentBuilder.Build(model, TestModels.SourceOf(model), TestModels.Defaults);

        Assert.Equal(8080, Assert.Single(Server(deployment).Ports).ContainerPort);
        Assert.Equal("/v2/health/ready", Server(deployment).ReadinessProbe.HttpGet.Path);
    }

    [Fact]
    public void The_readiness_probe_gets_the_readiness_path_on_the_http_port()
    {
        var probe = Server(Build(s => s.Runtime.ReadinessPath = "/v1/models/chest-xray")).ReadinessProbe;

        Assert.Equal("/v1/models/chest-xray", probe.HttpGet.Path);
        Assert.Equal("http", probe.HttpGet.Port.Value);
        Assert.Equal("HTTP", probe.HttpGet.Scheme);
        Assert.Null(Server(Build()).LivenessProbe);
    }

    [Fact]
    public void Cpu_and_memory_requests_equal_limits()
    {
        var resources = Server(Build()).Resources;

        Assert.Equal("4", resources.Limits["cpu"].ToString());
        Assert.Equal("16Gi", resources.Limits["memory"].ToString());
        Assert.Equal("4", resources.Requests["cpu"].ToString());
        Assert.Equal("16Gi", resources.Requests["memory"].ToString());
        Assert.Equal(2, resources.Limits.Count);
    }

    [Fact]
    public void A_cpu_only_model_has_no_gpu_toleration_or_affinity()
    {
        var pod = Build().Spec.Template.Spec;

        Assert.Null(pod.Tolerations);
        Assert.Null(pod.Affinity);
    }

    [Fact]
    public void A_gpu_model_gets_the_gpu_on_the_server_only_with_toleration_and_affinity()
    {
        var deployment = Build(s =>
        {
            s.Source.Uri = "s3://radiology-models/chest-xray/1.4.0";
            s.Resources.Gpu = new GpuSpec { Count = 1, Products = ["NVIDIA-A100-SXM4-80GB"], MinMemory = "40Gi" };
        });
        var pod = deployment.Spec.Template.Spec;

        Assert.Equal("1", Server(deployment).Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Equal("1", Server(deployment).Resources.Requests["nvidia.com/gpu"].ToString());
        Assert.DoesNotContain("nvidia.com/gpu", Initializer(deployment).Resources.Limits.Keys);
        Assert.Equal("nvidia.com/gpu", Assert.Single(pod.Tolerations).Key);
        var expressions = Assert.Single(pod.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms).MatchExpressions;
        Assert.Equal(["nvidia.com/gpu.product", "nvidia.com/gpu.memory"], expressions.Select(e => e.Key));
        Assert.Equal(["40959"], expressions[1].Values);
    }

    [Fact]
    public void A_model_with_a_pvc_uri_mounts_the_claim_read_only_with_its_path_as_sub_path()
    {
        var deployment = Build();
        var pod = deployment.Spec.Template.Spec;

        var volume = Assert.Single(pod.Volumes);
        Assert.Equal("model", volume.Name);
        Assert.Equal("models", volume.PersistentVolumeClaim.ClaimName);
        Assert.True(volume.PersistentVolumeClaim.ReadOnlyProperty);
        Assert.Null(volume.EmptyDir);
        var mount = Assert.Single(Server(deployment).VolumeMounts);
        Assert.Equal(("model", "/mnt/models", "chest-xray/1.4.0"), (mount.Name, mount.MountPath, mount.SubPath));
        Assert.True(mount.ReadOnlyProperty);
    }

    [Fact]
    public void A_model_with_a_pvc_uri_and_no_digest_has_no_initializer()
    {
        Assert.Null(Build().Spec.Template.Spec.InitContainers);
    }

    [Fact]
    public void A_model_at_the_root_of_a_claim_mounts_the_whole_claim()
    {
        var mount = Assert.Single(Server(Build(s => s.Source.Uri = "pvc://chest-xray-1-4-0")).VolumeMounts);

        Assert.Null(mount.SubPath);
        Assert.Equal("/mnt/models", mount.MountPath);
    }

    [Fact]
    public void A_pvc_model_with_a_digest_is_verified_by_the_initializer_through_a_read_only_mount()
    {
        var deployment = Build(s => s.Source.Digest = TestModels.Digest);
        var initializer = Initializer(deployment);

        Assert.Equal("model-initializer", initializer.Name);
        Assert.Equal(TestModels.InitializerImage, initializer.Image);
        var env = Env(initializer);
        Assert.Equal("pvc://models/chest-xray/1.4.0", env["MODEL_URI"]);
        Assert.Equal(TestModels.Digest, env["MODEL_DIGEST"]);
        var mount = Assert.Single(initializer.VolumeMounts);
        Assert.Equal(("model", "/mnt/models", "chest-xray/1.4.0", (bool?)true), (mount.Name, mount.MountPath, mount.SubPath, mount.ReadOnlyProperty));
        // The claim is still the server's volume: verified, not copied.
        Assert.Equal("models", Assert.Single(deployment.Spec.Template.Spec.Volumes).PersistentVolumeClaim.ClaimName);
        Assert.True(Assert.Single(Server(deployment).VolumeMounts).ReadOnlyProperty);
    }

    [Theory]
    [InlineData("s3://radiology-models/chest-xray/1.4.0")]
    [InlineData("gs://radiology-models/chest-xray/1.4.0")]
    [InlineData("https://models.hospital.example/chest-xray-1.4.0.tar.gz")]
    public void A_downloaded_model_fills_an_empty_dir_through_the_initializer(string uri)
    {
        var deployment = Build(s => s.Source.Uri = uri);
        var pod = deployment.Spec.Template.Spec;

        var volume = Assert.Single(pod.Volumes);
        Assert.Equal("model", volume.Name);
        Assert.NotNull(volume.EmptyDir);
        Assert.Null(volume.PersistentVolumeClaim);
        var initializer = Initializer(deployment);
        Assert.Equal(TestModels.InitializerImage, initializer.Image);
        Assert.Equal(uri, Env(initializer)["MODEL_URI"]);
        Assert.Equal("/mnt/models", Env(initializer)["MODEL_DIR"]);
        Assert.DoesNotContain("MODEL_DIGEST", Env(initializer).Keys);
        var initMount = Assert.Single(initializer.VolumeMounts);
        Assert.Equal(("model", "/mnt/models"), (initMount.Name, initMount.MountPath));
        Assert.Null(initMount.ReadOnlyProperty);
        Assert.Null(initMount.SubPath);
        var serverMount = Assert.Single(Server(deployment).VolumeMounts);
        Assert.Equal(("model", "/mnt/models", (bool?)true), (serverMount.Name, serverMount.MountPath, serverMount.ReadOnlyProperty));
        Assert.Null(serverMount.SubPath);
    }

    [Fact]
    public void A_downloaded_model_with_a_digest_passes_the_digest_to_the_initializer()
    {
        var initializer = Initializer(Build(s =>
        {
            s.Source.Uri = "s3://radiology-models/chest-xray/1.4.0";
            s.Source.Digest = TestModels.Digest;
        }));

        Assert.Equal(["MODEL_URI", "MODEL_DIR", "MODEL_DIGEST"], initializer.Env.Select(e => e.Name));
        Assert.Equal(TestModels.Digest, Env(initializer)["MODEL_DIGEST"]);
    }

    [Fact]
    public void The_initializer_image_comes_from_the_operator_defaults()
    {
        var initializer = Initializer(Build(s => s.Source.Uri = "s3://b/k", new ModelServingDefaults("registry.hospital.example/medops/model-initializer:1.2.3", [])));

        Assert.Equal("registry.hospital.example/medops/model-initializer:1.2.3", initializer.Image);
    }

    [Fact]
    public void The_initializer_has_the_server_cpu_and_memory_so_the_pod_stays_guaranteed()
    {
        var initializer = Initializer(Build(s => s.Source.Uri = "s3://b/k"));

        Assert.Equal("4", initializer.Resources.Limits["cpu"].ToString());
        Assert.Equal("16Gi", initializer.Resources.Limits["memory"].ToString());
        Assert.Equal("4", initializer.Resources.Requests["cpu"].ToString());
        Assert.Equal("16Gi", initializer.Resources.Requests["memory"].ToString());
    }

    [Fact]
    public void The_resolved_source_is_used_not_the_spec_uri()
    {
        // A trainingJobRef model: the URI comes from the job's status.
        var model = TestModels.ChestXray(s => s.Source = new ModelSource { TrainingJobRef = new TrainingJobReference { Name = "chest-xray-train" } });
        var source = new ResolvedModelSource("pvc://models/chest-xray/1.5.0", null, new PvcLocation("models", "chest-xray/1.5.0"));

        var deployment = ModelDeploymentBuilder.Build(model, source, TestModels.Defaults);

        Assert.Equal("chest-xray/1.5.0", Assert.Single(Server(deployment).VolumeMounts).SubPath);
    }

    [Fact]
    public void Replicas_are_the_spec_replicas_without_autoscaling()
    {
        Assert.Equal(2, Build().Spec.Replicas);
        Assert.Equal(5, Build(s => s.Replicas = 5).Spec.Replicas);
    }

    [Fact]
    public void Replicas_are_omitted_when_autoscaling_is_set_so_the_autoscaler_owns_them()
    {
        var deployment = Build(s => s.Autoscaling = new ModelAutoscaling { MinReplicas = 1, MaxReplicas = 4 });

        Assert.Null(deployment.Spec.Replicas);
    }

    [Fact]
    public void A_suspended_model_has_zero_replicas_with_or_without_autoscaling()
    {
        Assert.Equal(0, Build(s => s.Suspend = true).Spec.Replicas);
        Assert.Equal(0, Build(s =>
        {
            s.Suspend = true;
            s.Autoscaling = new ModelAutoscaling { MinReplicas = 2, MaxReplicas = 4 };
        }).Spec.Replicas);
    }

    [Fact]
    public void A_suspended_model_keeps_its_pod_template()
    {
        var suspended = Build(s => s.Suspend = true);

        Assert.Equal(k8s.KubernetesJson.Serialize(Build().Spec.Template), k8s.KubernetesJson.Serialize(suspended.Spec.Template));
    }

    [Fact]
    public void The_pod_runs_restricted_without_a_service_account_token()
    {
        var deployment = Build(s => s.Source.Uri = "s3://b/k");
        var pod = deployment.Spec.Template.Spec;

        Assert.False(pod.AutomountServiceAccountToken);
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal(1000, pod.SecurityContext.RunAsUser);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        Assert.All([Server(deployment), Initializer(deployment)], container =>
        {
            Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
            Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
            Assert.Null(container.SecurityContext.Privileged);
        });
    }

    [Fact]
    public void Old_replica_sets_are_kept_few()
    {
        Assert.Equal(3, Build().Spec.RevisionHistoryLimit);
    }

    [Fact]
    public void Building_twice_gives_the_same_object()
    {
        Assert.Equal(k8s.KubernetesJson.Serialize(Build()), k8s.KubernetesJson.Serialize(Build()));
    }

    [Fact]
    public void The_builder_does_not_change_the_model()
    {
        var model = TestModels.ChestXray(s => s.Runtime.Env = [new V1EnvVar { Name = "A", Value = "1" }]);
        var before = k8s.KubernetesJson.Serialize(model);

        var deployment = ModelDeploymentBuilder.Build(model, TestModels.SourceOf(model), TestModels.Defaults);
        Server(deployment).Env.Add(new V1EnvVar { Name = "B" });
        deployment.Metadata.Labels["x"] = "y";

        Assert.Equal(before, k8s.KubernetesJson.Serialize(model));
    }

    [Fact]
    public void The_node_selector_and_tolerations_of_the_spec_reach_the_pod_next_to_the_gpu_placement()
    {
        var pod = Build(s =>
        {
            s.Resources.Gpu = new GpuSpec { Count = 1 };
            s.NodeSelector = new Dictionary<string, string> { ["medops.io/pool"] = "inference" };
            s.Tolerations = [new k8s.Models.V1Toleration { Key = "medops.io/real-node", OperatorProperty = "Exists", Effect = "NoSchedule" }];
        }).Spec.Template.Spec;

        Assert.Equal(new Dictionary<string, string> { ["medops.io/pool"] = "inference" }, pod.NodeSelector);
        Assert.Equal(["medops.io/real-node", "nvidia.com/gpu"], pod.Tolerations.Select(t => t.Key));
    }

    [Fact]
    public void The_credentials_secret_goes_to_the_initializer_only_as_a_folder_and_as_variables()
    {
        var deployment = Build(s =>
        {
            s.Source.Uri = "s3://radiology-models/chest-xray/1.4.0";
            s.Source.CredentialsSecretRef = new SecretReference { Name = "minio-reader" };
        });
        var pod = deployment.Spec.Template.Spec;
        var initializer = Initializer(deployment);

        var volume = pod.Volumes.Single(v => v.Name == ModelDeploymentBuilder.CredentialsVolumeName);
        Assert.Equal(("minio-reader", 292), (volume.Secret.SecretName, volume.Secret.DefaultMode));
        var mount = initializer.VolumeMounts.Single(m => m.Name == ModelDeploymentBuilder.CredentialsVolumeName);
        Assert.Equal(("/var/run/medops/credentials", true), (mount.MountPath, mount.ReadOnlyProperty));
        Assert.Equal("/var/run/medops/credentials", initializer.Env.Single(e => e.Name == "MODEL_CREDENTIALS_DIR").Value);
        Assert.Equal("minio-reader", Assert.Single(initializer.EnvFrom).SecretRef.Name);
        Assert.DoesNotContain(Server(deployment).VolumeMounts, m => m.Name == ModelDeploymentBuilder.CredentialsVolumeName);
        Assert.Null(Server(deployment).EnvFrom);
    }

    [Fact]
    public void Without_an_initializer_the_credentials_secret_is_not_mounted()
    {
        var pod = Build(s => s.Source.CredentialsSecretRef = new SecretReference { Name = "unused" }).Spec.Template.Spec;

        Assert.Null(pod.InitContainers);
        Assert.DoesNotContain(pod.Volumes, v => v.Name == ModelDeploymentBuilder.CredentialsVolumeName);
    }
}
