using k8s.Models;
using MedOps.NodeSimulator.Pods;
using static MedOps.NodeSimulator.Tests.Pods.PodBuilder;

namespace MedOps.NodeSimulator.Tests.Pods;

public class ContainerBehaviourTests
{
    [Fact]
    public void A_container_without_settings_runs_forever_and_is_ready()
    {
        var behaviour = ContainerBehaviour.For(Container("server"), null);

        Assert.Null(behaviour.ExitCode);
        Assert.False(behaviour.NeverReady);
        Assert.Equal(TimeSpan.FromSeconds(1), behaviour.RunTime);
        Assert.Empty(behaviour.Problems);
    }

    [Fact]
    public void A_container_of_an_output_digest_pod_exits_0_by_itself_unless_its_env_says_otherwise()
    {
        var labels = new Dictionary<string, string> { ["app.kubernetes.io/component"] = "output-digest" };

        Assert.Equal(0, ContainerBehaviour.For(Container("model-initializer"), labels).ExitCode);
        Assert.Equal(3, ContainerBehaviour.For(Container("model-initializer", ("MEDOPS_SIM_EXIT_CODE", "3")), labels).ExitCode);
        Assert.Null(ContainerBehaviour.For(Container("server"), new Dictionary<string, string> { ["app.kubernetes.io/component"] = "inference" }).ExitCode);
    }

    [Fact]
    public void Exit_code_run_seconds_and_never_ready_are_read_from_literal_env()
    {
        var behaviour = ContainerBehaviour.For(
            Container("job", ("MEDOPS_SIM_EXIT_CODE", "42"), ("MEDOPS_SIM_RUN_SECONDS", "1.5"), ("MEDOPS_SIM_NEVER_READY", "TRUE")), null);

        Assert.Equal(42, behaviour.ExitCode);
        Assert.Equal(TimeSpan.FromSeconds(1.5), behaviour.RunTime);
        Assert.True(behaviour.NeverReady);
    }

    [Fact]
    public void Values_from_references_are_ignored_and_the_last_literal_wins()
    {
        var container = Container("job", ("MEDOPS_SIM_EXIT_CODE", "1"), ("MEDOPS_SIM_EXIT_CODE", "0"));
        container.Env.Add(new V1EnvVar
        {
            Name = "MEDOPS_SIM_RUN_SECONDS",
            ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } },
        });

        var behaviour = ContainerBehaviour.For(container, null);

        Assert.Equal(0, behaviour.ExitCode);
        Assert.Equal(TimeSpan.FromSeconds(1), behaviour.RunTime);
    }

    [Fact]
    public void Unreadable_values_are_reported_and_ignored()
    {
        var behaviour = ContainerBehaviour.For(Container("job", ("MEDOPS_SIM_EXIT_CODE", "boom"), ("MEDOPS_SIM_RUN_SECONDS", "-1")), null);

        Assert.Null(behaviour.ExitCode);
        Assert.Equal(TimeSpan.FromSeconds(1), behaviour.RunTime);
        Assert.Equal(2, behaviour.Problems.Count);
    }

    [Fact]
    public void A_listed_rank_fails_even_without_an_exit_code()
    {
        var behaviour = ContainerBehaviour.For(Container("worker", ("RANK", "3"), ("MEDOPS_SIM_FAIL_RANKS", "3")), null);

        Assert.Equal(1, behaviour.ExitCode);
    }

    [Fact]
    public void Fail_attempts_need_the_attempt_label()
    {
        var container = Container("worker", ("RANK", "1"), ("MEDOPS_SIM_FAIL_RANKS", "1"), ("MEDOPS_SIM_FAIL_ATTEMPTS", "1"));

        Assert.Null(ContainerBehaviour.For(container, null).ExitCode);
        Assert.Equal(1, ContainerBehaviour.For(container, new Dictionary<string, string> { ["medops.io/attempt"] = "1" }).ExitCode);
    }
}
