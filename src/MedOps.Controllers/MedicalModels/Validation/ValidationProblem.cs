namespace MedOps.Controllers.MedicalModels.Validation;

/// <summary>
/// A spec problem that a person must fix: the reason of the <c>Ready=False</c> and
/// <c>Stalled=True</c> conditions, and a message that says what to change.
/// </summary>
/// <param name="Reason">A CamelCase condition reason, one of <see cref="MedicalModelValidationReasons"/>.</param>
/// <param name="Message">What is wrong, naming the fields, and how to fix it.</param>
public sealed record ValidationProblem(string Reason, string Message);
