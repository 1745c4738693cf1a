using k8s.Models;

namespace MedOps.IntegrationTests.Foundation;

/// <summary>Small pod and deployment shapes for the foundation tests.</summary>
internal static class PodFactory
{
    public const string GpuResource = "nvidia.com/gpu";

    public static V1Toleration GpuToleration => new() { Key = GpuResource, OperatorProperty = "Exists", Effect = "NoSchedule" };

    public static V1Container Container(int gpus = 0, params V1EnvVar[] env)
    {
        var limits = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new("100m"),
            ["memory"] = new("64Mi"),
        };
        if (gpus > 0)
        {
            limits[GpuResource] = new ResourceQuantity(gpus.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return new V1Container
        {
            Name = "main",
            Image = "registry.example/medops/test:1",
            Env = env.Length == 0 ? null : env,
            Resources = new V1ResourceRequirements { Limits = limits, Requests = limits },
        };
    }

    public static V1Pod Pod(string name, V1Container container, V1Toleration? toleration = null, string restartPolicy = "Never") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = name } },
        Spec = new V1PodSpec
        {
            Containers = [container],
            Tolerations = toleration is null ? null : [toleration],
            RestartPolicy = restartPolicy,
            TerminationGracePeriodSeconds = 30,
        },
    };

    public static V1Deployment Deployment(string name, V1Container container, V1Toleration? toleration, V1Affinity? affinity = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = 1,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec
                {
                    Containers = [container],
                    Tolerations = toleration is null ? null : [toleration],
                    Affinity = affinity,
                },
            },
        },
    };

    public static V1Affinity RequireGpuProduct(string product) => new()
    {
        NodeAffinity = new V1NodeAffinity
        {
            RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
            {
                NodeSelectorTerms =
                [
                    new V1NodeSelectorTerm
                    {
                        MatchExpressions = [new V1NodeSelectorRequirement { Key = "nvidia.com/gpu.product", OperatorProperty = "In", Values = [product] }],
                    },
                ],
            },
        },
    };
}
