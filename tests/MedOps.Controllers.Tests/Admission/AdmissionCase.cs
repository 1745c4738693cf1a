using MedOps.Runtime.Admission;
using Xunit.Abstractions;

namespace MedOps.Controllers.Tests.Admission;

/// <summary>
/// One row of a rule table: a request (built fresh for every run), the cluster and guardrails
/// it meets, and the expected answer: allowed, or refused with these fields and this code.
/// </summary>
internal sealed record AdmissionCase(string Description, Func<AdmissionRequest> Request)
{
    /// <summary>Changes the harness (guardrails, claims, grants) after the kind's baseline.</summary>
    public Action<AdmissionHarness>? Arrange { get; init; }

    /// <summary>The fields of the causes, in order; empty when the request is allowed.</summary>
    public IReadOnlyList<string> Refused { get; init; } = [];

    /// <summary>422 for invalid values, 403 for a forbidden declassification; 0 when allowed.</summary>
    public int Code { get; init; }

    public override string ToString() => Description;

    public static AdmissionCase Allow(string description, Func<AdmissionRequest> request, Action<AdmissionHarness>? arrange = null) =>
        new(description, request) { Arrange = arrange };

    public static AdmissionCase Invalid(string description, Func<AdmissionRequest> request, string[] fields, Action<AdmissionHarness>? arrange = null) =>
        new(description, request) { Arrange = arrange, Refused = fields, Code = 422 };

    public static AdmissionCase Forbidden(string description, Func<AdmissionRequest> request, string[] fields, Action<AdmissionHarness>? arrange = null) =>
        new(description, request) { Arrange = arrange, Refused = fields, Code = 403 };

    /// <summary>The descriptions, as the theory's rows.</summary>
    public static TheoryData<Rule> Names(IEnumerable<AdmissionCase> cases)
    {
        var names = new TheoryData<Rule>();
        foreach (var rule in cases)
        {
            names.Add(new Rule(rule.Description));
        }
        return names;
    }
}

/// <summary>
/// A row's description as a theory argument: serializable, so that every row is its own test,
/// and shown whole in the test's name (xunit cuts string arguments at 50 characters).
/// </summary>
public sealed class Rule : IXunitSerializable
{
    [Obsolete("For the xunit serializer only.")]
    public Rule()
    {
    }

    public Rule(string description) => Description = description;

    public string Description { get; private set; } = "";

    public void Deserialize(IXunitSerializationInfo info) => Description = info.GetValue<string>(nameof(Description));

    public void Serialize(IXunitSerializationInfo info) => info.AddValue(nameof(Description), Description);

    public override string ToString() => Description;
}
