using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MedOps.Runtime.Admission;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedOps.Runtime.Tests.Admission;

public sealed class AdmissionDispatcherTests
{
    private const string Group = "example.io";
    private const string Kind = "Thing";

    private readonly FakeValidator validator = new(Group, Kind);

    private AdmissionDispatcher Dispatcher(TimeSpan? deadline = null) =>
        new([validator], deadline ?? TimeSpan.FromSeconds(30), NullLogger.Instance);

    private static AdmissionRequest Request(string operation = "CREATE", string group = Group, string kind = Kind, string? subResource = null) => new()
    {
        Uid = "705ab4f5-6393-11e8-b7cc-42010a800002",
        Kind = new GroupVersionKind { Group = group, Version = "v1", Kind = kind },
        SubResource = subResource,
        Operation = operation,
        Namespace = "clinic-a",
        Name = "thing-1",
        UserInfo = new AdmissionUser { Username = "alice" },
        Object = JsonDocument.Parse("""{"apiVersion":"example.io/v1","kind":"Thing","metadata":{"name":"thing-1"}}""").RootElement.Clone(),
    };

    private Task<AdmissionResponse> DecideAsync(AdmissionRequest request, TimeSpan? deadline = null) =>
        Dispatcher(deadline).DecideAsync(request, CancellationToken.None);

    [Fact]
    public async Task Connect_is_allowed_without_asking_the_validator()
    {
        validator.Answer = (_, _) => throw new InvalidOperationException("must not be called");

        var response = await DecideAsync(Request("CONNECT"));

        Assert.True(response.Allowed);
        Assert.Null(response.Status);
        Assert.Empty(validator.Requests);
    }

    [Fact]
    public async Task A_delete_of_a_served_kind_asks_its_validator_with_the_stored_object_and_the_options()
    {
        var request = Request("DELETE");
        request.OldObject = request.Object;
        request.Object = null;
        request.Options = JsonDocument.Parse("""{"kind": "DeleteOptions", "propagationPolicy": "Foreground"}""").RootElement.Clone();

        var response = await DecideAsync(request);

        Assert.True(response.Allowed);
        var seen = Assert.Single(validator.Requests);
        Assert.Same(request, seen);
        Assert.Null(seen.Object);
        Assert.Equal("Foreground", seen.Options!.Value.GetProperty("propagationPolicy").GetString());
    }

    [Fact]
    public async Task A_refused_delete_is_answered_like_any_refusal()
    {
        validator.Answer = (_, _) => Task.FromResult(AdmissionVerdict.From([new FieldViolation("spec.hold", "spec.hold: the thing is held", Forbidden: true)]));

        var response = await DecideAsync(Request("DELETE"));

        Assert.False(response.Allowed);
        Assert.Equal((403, "Forbidden"), (response.Status!.Code, response.Status.Reason));
        Assert.Equal("Thing.example.io \"thing-1\" is forbidden: spec.hold: the thing is held", response.Status.Message);
        var cause = Assert.Single(response.Status.Details!.Causes);
        Assert.Equal(("spec.hold", "FieldValueForbidden", "the thing is held"), (cause.Field, cause.Reason, cause.Message));
    }

    [Fact]
    public async Task A_delete_of_a_subresource_or_of_a_kind_no_validator_serves_is_allowed_without_asking()
    {
        validator.Answer = (_, _) => throw new InvalidOperationException("must not be called");

        Assert.True((await DecideAsync(Request("DELETE", subResource: "status"))).Allowed);
        Assert.True((await DecideAsync(Request("DELETE", kind: "Other"))).Allowed);
        Assert.Empty(validator.Requests);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("scale")]
    public async Task A_subresource_is_allowed_without_asking_the_validator(string subResource)
    {
        validator.Answer = (_, _) => throw new InvalidOperationException("must not be called");

        var response = await DecideAsync(Request("UPDATE", subResource: subResource));

        Assert.True(response.Allowed);
        Assert.Empty(validator.Requests);
    }

    [Theory]
    [InlineData("example.io", "Other")]
    [InlineData("other.io", "Thing")]
    public async Task A_kind_no_validator_serves_is_allowed(string group, string kind)
    {
        var response = await DecideAsync(Request(group: group, kind: kind));

        Assert.True(response.Allowed);
        Assert.Equal("705ab4f5-6393-11e8-b7cc-42010a800002", response.Uid);
        Assert.Empty(validator.Requests);
    }

    [Theory]
    [InlineData("CREATE")]
    [InlineData("UPDATE")]
    [InlineData("DELETE")]
    public async Task Create_update_and_delete_of_a_served_kind_ask_its_validator(string operation)
    {
        var request = Request(operation);

        var response = await DecideAsync(request);

        Assert.True(response.Allowed);
        Assert.Same(request, Assert.Single(validator.Requests));
    }

    [Fact]
    public async Task A_validator_that_throws_refuses_the_request_with_its_reason()
    {
        validator.Answer = (_, _) => throw new InvalidOperationException("the API server answered 503");

        var response = await DecideAsync(Request());

        Assert.False(response.Allowed);
        Assert.Equal("705ab4f5-6393-11e8-b7cc-42010a800002", response.Uid);
        Assert.Equal(500, response.Status!.Code);
        Assert.Equal("InternalError", response.Status.Reason);
        Assert.Equal("Thing.example.io \"thing-1\" could not be checked, so it is refused: the API server answered 503; try again", response.Status.Message);
        Assert.Null(response.Status.Details);
    }

    [Fact]
    public async Task A_validator_that_fails_asynchronously_refuses_the_request_too()
    {
        validator.Answer = async (_, token) =>
        {
            await Task.Yield();
            throw new HttpRequestException("connection refused");
        };

        var response = await DecideAsync(Request());

        Assert.False(response.Allowed);
        Assert.Equal(500, response.Status!.Code);
        Assert.Contains("connection refused", response.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_validator_slower_than_the_deadline_is_refused_in_time()
    {
        validator.Answer = async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return AdmissionVerdict.Allow;
        };
        var clock = Stopwatch.StartNew();

        var response = await DecideAsync(Request(), TimeSpan.FromMilliseconds(100));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.False(response.Allowed);
        Assert.Equal(500, response.Status!.Code);
        Assert.Equal("Thing.example.io \"thing-1\" could not be checked, so it is refused: the check did not finish within 0.1s; try again", response.Status.Message);
        Assert.True(validator.LastToken.IsCancellationRequested);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_turned_into_a_refusal()
    {
        using var cancel = new CancellationTokenSource();
        validator.Answer = async (_, token) =>
        {
            await cancel.CancelAsync();
            await Task.Delay(Timeout.Infinite, token);
            return AdmissionVerdict.Allow;
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Dispatcher().DecideAsync(Request(), cancel.Token));
    }

    [Fact]
    public async Task A_refusal_names_every_field_with_one_cause_each()
    {
        validator.Answer = (_, _) => Task.FromResult(AdmissionVerdict.From(
        [
            new FieldViolation("spec.size", "spec.size: \"big\" is not a quantity"),
            new FieldViolation("metadata.name", "the name is too long"),
        ]));

        var response = await DecideAsync(Request());

        Assert.False(response.Allowed);
        var status = response.Status!;
        Assert.Equal(422, status.Code);
        Assert.Equal("Invalid", status.Reason);
        Assert.Equal("Thing.example.io \"thing-1\" is invalid: spec.size: \"big\" is not a quantity; the name is too long", status.Message);
        Assert.Collection(status.Details!.Causes,
            cause =>
            {
                Assert.Equal("spec.size", cause.Field);
                Assert.Equal("FieldValueInvalid", cause.Reason);
                Assert.Equal("\"big\" is not a quantity", cause.Message);
            },
            cause =>
            {
                Assert.Equal("metadata.name", cause.Field);
                Assert.Equal("FieldValueInvalid", cause.Reason);
                Assert.Equal("the name is too long", cause.Message);
            });
    }

    [Fact]
    public async Task One_forbidden_violation_makes_the_refusal_forbidden()
    {
        validator.Answer = (_, _) => Task.FromResult(AdmissionVerdict.From(
        [
            new FieldViolation("spec.size", "spec.size: too big"),
            new FieldViolation("spec.level", "spec.level: alice may not lower it", Forbidden: true),
        ]));

        var response = await DecideAsync(Request("UPDATE"));

        var status = response.Status!;
        Assert.Equal(403, status.Code);
        Assert.Equal("Forbidden", status.Reason);
        Assert.StartsWith("Thing.example.io \"thing-1\" is forbidden: ", status.Message, StringComparison.Ordinal);
        Assert.Equal(["FieldValueInvalid", "FieldValueForbidden"], status.Details!.Causes.Select(c => c.Reason));
        Assert.Equal(["too big", "alice may not lower it"], status.Details.Causes.Select(c => c.Message));
    }

    [Fact]
    public async Task Warnings_of_an_allowed_request_are_passed_through()
    {
        validator.Answer = (_, _) => Task.FromResult(AdmissionVerdict.From([], ["spec.old is deprecated", "spec.gpu is ignored"]));

        var response = await DecideAsync(Request());

        Assert.True(response.Allowed);
        Assert.Null(response.Status);
        Assert.Equal(["spec.old is deprecated", "spec.gpu is ignored"], response.Warnings);
    }

    [Fact]
    public async Task Warnings_of_a_refused_request_are_passed_through()
    {
        validator.Answer = (_, _) => Task.FromResult(AdmissionVerdict.From([new FieldViolation("spec", "spec: wrong")], ["spec.old is deprecated"]));

        var response = await DecideAsync(Request());

        Assert.False(response.Allowed);
        Assert.Equal(["spec.old is deprecated"], response.Warnings);
    }

    [Fact]
    public async Task An_allowed_request_without_warnings_has_none()
    {
        var response = await DecideAsync(Request());

        Assert.True(response.Allowed);
        Assert.Null(response.Warnings);
    }

    [Fact]
    public async Task A_review_is_answered_with_its_uid_and_api_version()
    {
        validator.Answer = (_, _) => Task.FromResult(AdmissionVerdict.From([new FieldViolation("spec.size", "spec.size: too big")]));
        var body = """
            {
              "apiVersion": "admission.k8s.io/v1",
              "kind": "AdmissionReview",
              "request": {
                "uid": "d595e125-9489-4d1c-877d-0a05984355c8",
                "kind": {"group": "example.io", "version": "v1", "kind": "Thing"},
                "resource": {"group": "example.io", "version": "v1", "resource": "things"},
                "name": "thing-1",
                "namespace": "clinic-a",
                "operation": "CREATE",
                "userInfo": {"username": "alice", "groups": ["system:authenticated"], "extra": {"scopes": ["a"]}},
                "object": {"apiVersion": "example.io/v1", "kind": "Thing", "metadata": {"name": "thing-1"}},
                "oldObject": null,
                "dryRun": false,
                "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"}
              }
            }
            """;

        var review = await Dispatcher().HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), CancellationToken.None);

        Assert.Equal("admission.k8s.io/v1", review.ApiVersion);
        Assert.Equal("AdmissionReview", review.Kind);
        Assert.Null(review.Request);
        var response = review.Response!;
        Assert.Equal("d595e125-9489-4d1c-877d-0a05984355c8", response.Uid);
        Assert.False(response.Allowed);
        var seen = Assert.Single(validator.Requests);
        Assert.Equal("alice", seen.UserInfo.Username);
        Assert.Equal(["a"], seen.UserInfo.Extra!["scopes"]);
        Assert.False(seen.DryRun);
        Assert.Equal(JsonValueKind.Object, seen.Object!.Value.ValueKind);
    }

    [Fact]
    public async Task The_answer_serialises_as_the_api_server_reads_it()
    {
        var body = """{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u-1","kind":{"group":"example.io","version":"v1","kind":"Thing"},"operation":"DELETE"}}""";

        var review = await Dispatcher().HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), CancellationToken.None);
        var json = JsonSerializer.Serialize(review);

        Assert.Equal("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":null,"response":{"uid":"u-1","allowed":true}}""", json);
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("{\"request\": 5}")]
    [InlineData("")]
    public async Task A_body_that_is_not_an_admission_review_is_a_bad_request(string body)
    {
        var exception = await Assert.ThrowsAsync<BadAdmissionReviewException>(
            () => Dispatcher().HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), CancellationToken.None));

        Assert.StartsWith("the body is not an AdmissionReview: ", exception.Message, StringComparison.Ordinal);
        Assert.Empty(validator.Requests);
    }

    [Theory]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}")]
    [InlineData("null")]
    public async Task A_review_without_a_request_is_a_bad_request(string body)
    {
        var exception = await Assert.ThrowsAsync<BadAdmissionReviewException>(
            () => Dispatcher().HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), CancellationToken.None));

        Assert.Equal("the AdmissionReview has no request", exception.Message);
    }

    [Fact]
    public void The_served_kinds_are_listed_as_kind_dot_group() =>
        Assert.Equal(["Thing.example.io", "Other.example.io"],
            new AdmissionDispatcher([validator, new FakeValidator(Group, "Other")], TimeSpan.FromSeconds(1), NullLogger.Instance).Kinds);
}
