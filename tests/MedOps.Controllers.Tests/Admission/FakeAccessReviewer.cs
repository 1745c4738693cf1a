using MedOps.Controllers.Admission;
using MedOps.Runtime.Admission;

namespace MedOps.Controllers.Tests.Admission;

/// <summary>RBAC as a list of granted (verb, resource) pairs; records every review it answers.</summary>
internal sealed class FakeAccessReviewer : IAccessReviewer
{
    private readonly HashSet<(string Verb, string Resource)> granted = [];

    /// <summary>Every review asked, in order.</summary>
    public List<(AdmissionUser User, ResourceAttributes Resource)> Reviews { get; } = [];

    /// <summary>Lets every user do <paramref name="verb"/> on <paramref name="resource"/>.</summary>
    public FakeAccessReviewer Grant(string verb, string resource)
    {
        granted.Add((verb, resource));
        return this;
    }

    /// <summary>Takes back a grant of <paramref name="verb"/> on <paramref name="resource"/>.</summary>
    public FakeAccessReviewer Revoke(string verb, string resource)
    {
        granted.Remove((verb, resource));
        return this;
    }

    public Task<bool> IsAllowedAsync(AdmissionUser user, ResourceAttributes resource, CancellationToken cancellationToken)
    {
        Reviews.Add((user, resource));
        return Task.FromResult(granted.Contains((resource.Verb, resource.Resource)));
    }
}
