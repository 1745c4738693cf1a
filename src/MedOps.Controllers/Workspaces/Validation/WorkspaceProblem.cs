namespace MedOps.Controllers.Workspaces.Validation;

/// <summary>
/// A problem that a person must fix: the reason of <c>Ready=False</c> and <c>Stalled=True</c>,
/// and a message that says what to change.
/// </summary>
/// <param name="Reason">A CamelCase condition reason.</param>
/// <param name="Message">What is wrong, naming the fields, and how to fix it.</param>
public sealed record WorkspaceProblem(string Reason, string Message);
