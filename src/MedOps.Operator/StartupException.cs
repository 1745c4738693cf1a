namespace MedOps.Operator;

/// <summary>
/// Start-up cannot go on; the message is one complete sentence for stderr (no stack trace),
/// such as <c>cannot load kubeconfig "/x": file not found</c>.
/// </summary>
internal sealed class StartupException(string message) : Exception(message);
