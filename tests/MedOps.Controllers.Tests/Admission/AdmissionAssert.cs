using MedOps.Runtime.Admission;

namespace MedOps.Controllers.Tests.Admission;

/// <summary>Runs rule tables and checks answers the way kubectl shows them to a user.</summary>
internal static class AdmissionAssert
{
    /// <summary>Runs the row named <paramref name="description"/> of <paramref name="cases"/> after <paramref name="baseline"/>.</summary>
    public static async Task<(AdmissionHarness Harness, AdmissionResponse Response)> RowAsync(
        IReadOnlyList<AdmissionCase> cases, string description, Action<AdmissionHarness>? baseline = null)
    {
        var rule = Assert.Single(cases, c => c.Description == description);
        var harness = new AdmissionHarness();
        baseline?.Invoke(harness);
        rule.Arrange?.Invoke(harness);
        var request = rule.Request();

        var response = await harness.DecideAsync(request);

        Assert.Equal(request.Uid, response.Uid);
        if (rule.Refused.Count == 0)
        {
            Assert.True(response.Allowed, $"{description}: refused with {response.Status?.Message}");
            Assert.Null(response.Status);
        }
        else
        {
            Refused(response, request, rule.Code, rule.Refused);
        }
        return (harness, response);
    }

    /// <summary>
    /// A refusal with <paramref name="code"/> whose causes name exactly <paramref name="fields"/>:
    /// one message that starts with the object, then every cause's message; causes that do not
    /// repeat the "field: " their violation starts with.
    /// </summary>
    public static void Refused(AdmissionResponse response, AdmissionRequest request, int code, IReadOnlyList<string> fields)
    {
        Assert.False(response.Allowed);
        var status = Assert.IsType<AdmissionStatus>(response.Status);
        Assert.Equal(code, status.Code);
        Assert.Equal(code == 403 ? "Forbidden" : "Invalid", status.Reason);
        var causes = Assert.IsType<AdmissionStatusDetails>(status.Details).Causes;
        Assert.Equal(fields, causes.Select(c => c.Field));

        var subject = $"{request.Kind.Kind}.medops.io \"{request.Name}\" is {(code == 403 ? "forbidden" : "invalid")}: ";
        Assert.StartsWith(subject, status.Message, StringComparison.Ordinal);
        foreach (var cause in causes)
        {
            Assert.False(string.IsNullOrWhiteSpace(cause.Message), $"the cause of {cause.Field} has no message");
            Assert.False(cause.Message.StartsWith(cause.Field + ": ", StringComparison.Ordinal), $"the cause repeats its field: {cause.Message}");
            Assert.Contains(cause.Message, status.Message, StringComparison.Ordinal);
            Assert.Contains(cause.Reason, new[] { "FieldValueInvalid", "FieldValueForbidden" });
        }
        Assert.Equal(code == 403, causes.Any(c => c.Reason == "FieldValueForbidden"));
    }
}
