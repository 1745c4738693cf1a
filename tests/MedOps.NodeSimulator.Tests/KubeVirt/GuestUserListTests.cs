using System.Text.Json.Nodes;
using MedOps.NodeSimulator.KubeVirt;

namespace MedOps.NodeSimulator.Tests.KubeVirt;

/// <summary>The simulated virt-api's userlist: 404 unless running, 409 without an agent, else the annotated users.</summary>
public sealed class GuestUserListTests
{
    private static readonly DateTime Now = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);

    private static JsonObject Vm(string printable, bool ready, string? users = null, string? agent = null)
    {
        var annotations = new JsonObject();
        if (users is not null)
        {
            annotations[GuestUserList.UsersAnnotation] = users;
        }
        if (agent is not null)
        {
            annotations[GuestUserList.AgentAnnotation] = agent;
        }
        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "ws", ["annotations"] = annotations },
            ["status"] = new JsonObject { ["printableStatus"] = printable, ["ready"] = ready },
        };
    }

    [Fact]
    public void A_missing_or_stopped_vm_has_no_instance() =>
        Assert.Equal([404, 404, 404], new[] { GuestUserList.For(null, "ws", Now).Code, GuestUserList.For(Vm("Stopped", false), "ws", Now).Code, GuestUserList.For(Vm("Running", false), "ws", Now).Code });

    [Fact]
    public void A_disconnected_agent_answers_409() =>
        Assert.Equal(409, GuestUserList.For(Vm("Running", true, agent: "disconnected"), "ws", Now).Code);

    [Theory]
    [InlineData(null, new string[0])]
    [InlineData("", new string[0])]
    [InlineData("alice", new[] { "alice" })]
    [InlineData(" alice , bob ", new[] { "alice", "bob" })]
    public void A_running_vm_lists_its_annotated_users(string? users, string[] expected)
    {
        var (code, body) = GuestUserList.For(Vm("Running", true, users), "ws", Now);

        Assert.Equal(200, code);
        Assert.Equal("VirtualMachineInstanceGuestOSUserList", body["kind"]!.GetValue<string>());
        Assert.Equal(expected, body["items"]!.AsArray().Select(i => i!["userName"]!.GetValue<string>()));
    }
}
