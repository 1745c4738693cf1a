using System.Text.Json;
using k8s.Models;
using MedOps.Runtime.Admission;
using MedOps.Runtime.Api;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedOps.Runtime.Tests.Admission;

public sealed class AdmissionValidatorTests
{
    /// <summary>Refuses a ConfigMap without data; records what it was given.</summary>
    private sealed class ConfigMapValidator : AdmissionValidator<V1ConfigMap>
    {
        public List<AdmissionAttempt<V1ConfigMap>> Attempts { get; } = [];

        protected override Task<AdmissionVerdict> ValidateAsync(AdmissionAttempt<V1ConfigMap> attempt, CancellationToken cancellationToken)
        {
            Attempts.Add(attempt);
            return Task.FromResult(attempt.Object.Data is { Count: > 0 }
                ? AdmissionVerdict.Allow
                : AdmissionVerdict.From([new FieldViolation("data", "data: a ConfigMap needs at least one key")]));
        }
    }

    /// <summary>Refuses deleting a ConfigMap whose stored data says "locked"; records what it was given.</summary>
    private sealed class LockedConfigMapValidator : AdmissionValidator<V1ConfigMap>
    {
        public List<(AdmissionRequest Request, V1ConfigMap Stored)> Deletes { get; } = [];

        protected override Task<AdmissionVerdict> ValidateAsync(AdmissionAttempt<V1ConfigMap> attempt, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a DELETE is not a create or an update");

        protected override Task<AdmissionVerdict> ValidateDeleteAsync(AdmissionRequest request, V1ConfigMap stored, CancellationToken cancellationToken)
        {
            Deletes.Add((request, stored));
            return Task.FromResult(stored.Data is { } data && data.TryGetValue("mode", out var mode) && mode == "locked"
                ? AdmissionVerdict.From([new FieldViolation("data.mode", "data.mode: the settings are locked", Forbidden: true)])
                : AdmissionVerdict.Allow);
        }
    }

    private static JsonElement Element(V1ConfigMap map)
    {
        using var document = JsonDocument.Parse(KubeJson.SerializeToUtf8Bytes(map));
        return document.RootElement.Clone();
    }

    private static V1ConfigMap Map(string? value) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = "settings", NamespaceProperty = "clinic-a" },
        Data = value is null ? null : new Dictionary<string, string> { ["mode"] = value },
    };

    private static AdmissionRequest Request(string operation, JsonElement? obj, JsonElement? old = null) => new()
    {
        Uid = "u-1",
        Kind = new GroupVersionKind { Group = "", Version = "v1", Kind = "ConfigMap" },
        Operation = operation,
        Namespace = "clinic-a",
        Name = "settings",
        UserInfo = new AdmissionUser { Username = "alice" },
        Object = obj,
        OldObject = old,
    };

    [Fact]
    public void The_group_and_kind_come_from_the_type()
    {
        var validator = new ConfigMapValidator();

        Assert.Equal("", validator.Group);
        Assert.Equal("ConfigMap", validator.Kind);
    }

    [Fact]
    public async Task A_create_is_decoded_without_an_old_object()
    {
        var validator = new ConfigMapValidator();

        var verdict = await validator.ValidateAsync(Request("CREATE", Element(Map("fast"))), CancellationToken.None);

        Assert.True(verdict.Allowed);
        var attempt = Assert.Single(validator.Attempts);
        Assert.False(attempt.IsUpdate);
        Assert.Null(attempt.Old);
        Assert.Equal("fast", attempt.Object.Data["mode"]);
        Assert.Equal("alice", attempt.User.Username);
    }

    [Fact]
    public async Task An_update_is_decoded_with_the_stored_object()
    {
        var validator = new ConfigMapValidator();

        var verdict = await validator.ValidateAsync(Request("UPDATE", Element(Map(null)), Element(Map("fast"))), CancellationToken.None);

        var attempt = Assert.Single(validator.Attempts);
        Assert.True(attempt.IsUpdate);
        Assert.Equal("fast", attempt.Old!.Data["mode"]);
        Assert.Null(attempt.Object.Data);
        Assert.Equal("data", Assert.Single(verdict.Violations).Field);
    }

    [Fact]
    public async Task A_json_null_old_object_counts_as_none()
    {
        var validator = new ConfigMapValidator();
        var none = JsonDocument.Parse("null").RootElement.Clone();

        await validator.ValidateAsync(Request("CREATE", Element(Map("fast")), none), CancellationToken.None);

        Assert.Null(Assert.Single(validator.Attempts).Old);
    }

    [Fact]
    public async Task A_request_without_an_object_is_refused_by_the_dispatcher_as_unreadable()
    {
        var validator = new ConfigMapValidator();
        var dispatcher = new AdmissionDispatcher([validator], TimeSpan.FromSeconds(30), NullLogger.Instance);

        var response = await dispatcher.DecideAsync(Request("CREATE", null), CancellationToken.None);

        Assert.False(response.Allowed);
        Assert.Equal(500, response.Status!.Code);
        Assert.Contains("\"settings\" could not be checked, so it is refused: the CREATE request has no object; try again", response.Status.Message, StringComparison.Ordinal);
        Assert.Empty(validator.Attempts);
    }

    [Fact]
    public async Task A_delete_is_allowed_by_default_without_deciding_on_the_stored_object()
    {
        // The stored map has no data: a CREATE of it would be refused.
        var validator = new ConfigMapValidator();

        var verdict = await validator.ValidateAsync(Request("DELETE", null, Element(Map(null))), CancellationToken.None);

        Assert.True(verdict.Allowed);
        Assert.Empty(verdict.Violations);
        Assert.Empty(validator.Attempts);
    }

    [Fact]
    public async Task A_default_validator_allows_a_delete_through_the_dispatcher()
    {
        var validator = new ConfigMapValidator();
        var dispatcher = new AdmissionDispatcher([validator], TimeSpan.FromSeconds(30), NullLogger.Instance);

        var response = await dispatcher.DecideAsync(Request("DELETE", null, Element(Map(null))), CancellationToken.None);

        Assert.True(response.Allowed);
        Assert.Null(response.Status);
        Assert.Empty(validator.Attempts);
    }

    [Fact]
    public async Task A_delete_is_decided_on_the_stored_object_with_the_request()
    {
        var validator = new LockedConfigMapValidator();
        var request = Request("DELETE", null, Element(Map("fast")));

        var verdict = await validator.ValidateAsync(request, CancellationToken.None);

        Assert.True(verdict.Allowed);
        var (seen, stored) = Assert.Single(validator.Deletes);
        Assert.Same(request, seen);
        Assert.Equal("fast", stored.Data["mode"]);
        Assert.Equal("settings", stored.Metadata.Name);
    }

    [Fact]
    public async Task A_refused_delete_reaches_the_user_through_the_dispatcher()
    {
        var dispatcher = new AdmissionDispatcher([new LockedConfigMapValidator()], TimeSpan.FromSeconds(30), NullLogger.Instance);

        var response = await dispatcher.DecideAsync(Request("DELETE", null, Element(Map("locked"))), CancellationToken.None);

        Assert.False(response.Allowed);
        Assert.Equal(403, response.Status!.Code);
        var cause = Assert.Single(response.Status.Details!.Causes);
        Assert.Equal(("data.mode", "the settings are locked"), (cause.Field, cause.Message));
    }

    [Fact]
    public async Task A_delete_without_the_stored_object_is_refused_by_the_dispatcher_as_unreadable()
    {
        var validator = new LockedConfigMapValidator();
        var dispatcher = new AdmissionDispatcher([validator], TimeSpan.FromSeconds(30), NullLogger.Instance);

        var response = await dispatcher.DecideAsync(Request("DELETE", Element(Map("fast"))), CancellationToken.None);

        Assert.False(response.Allowed);
        Assert.Equal(500, response.Status!.Code);
        Assert.Contains("could not be checked, so it is refused: the DELETE request has no oldObject; try again", response.Status.Message, StringComparison.Ordinal);
        Assert.Empty(validator.Deletes);
    }

    [Fact]
    public async Task The_typed_verdict_reaches_the_user_through_the_dispatcher()
    {
        var dispatcher = new AdmissionDispatcher([new ConfigMapValidator()], TimeSpan.FromSeconds(30), NullLogger.Instance);

        var response = await dispatcher.DecideAsync(Request("CREATE", Element(Map(null))), CancellationToken.None);

        Assert.False(response.Allowed);
        Assert.Equal(422, response.Status!.Code);
        var cause = Assert.Single(response.Status.Details!.Causes);
        Assert.Equal("data", cause.Field);
        Assert.Equal("a ConfigMap needs at least one key", cause.Message);
    }
}
