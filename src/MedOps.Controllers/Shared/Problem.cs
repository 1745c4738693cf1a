namespace MedOps.Controllers.Shared;

/// <summary>
/// Something a person must fix before a resource can make progress (an invalid spec, a missing
/// dependency): the reason of its <c>Ready=False</c> and <c>Stalled=True</c> conditions, and a
/// message that says what to change. One type for every kind and every source of problems.
/// </summary>
/// <param name="Reason">A CamelCase condition reason from the kind's reasons catalogue.</param>
/// <param name="Message">What is wrong, naming the fields, and how to fix it.</param>
/// <param name="Field">The path of the field at fault (<c>spec.source.uri</c>), for the admission webhook's causes; null when no one field is.</param>
public sealed record Problem(string Reason, string Message, string? Field = null);
