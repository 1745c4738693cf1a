using MedOps.Runtime.Admission;

namespace MedOps.Runtime.Tests.Admission;

/// <summary>A validator of one kind that answers with <see cref="Answer"/> and records every request it is given.</summary>
internal sealed class FakeValidator(string group, string kind, Func<AdmissionRequest, CancellationToken, Task<AdmissionVerdict>>? answer = null) : IAdmissionValidator
{
    public string Group => group;

    public string Kind => kind;

    /// <summary>The requests decided, in order.</summary>
    public List<AdmissionRequest> Requests { get; } = [];

    /// <summary>The token of the last call (the dispatcher's deadline).</summary>
    public CancellationToken LastToken { get; private set; }

    public Func<AdmissionRequest, CancellationToken, Task<AdmissionVerdict>> Answer { get; set; } =
        answer ?? ((_, _) => Task.FromResult(AdmissionVerdict.Allow));

    public Task<AdmissionVerdict> ValidateAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        LastToken = cancellationToken;
        return Answer(request, cancellationToken);
    }
}
