namespace MedOps.Operator.Configuration;

/// <summary>What the command line asks the process to do.</summary>
internal abstract record ParsedCommandLine
{
    /// <summary>Run the operator with these options.</summary>
    internal sealed record Run(OperatorOptions Options) : ParsedCommandLine;

    /// <summary>Print the usage text to stdout and exit 0.</summary>
    internal sealed record ShowHelp : ParsedCommandLine;

    /// <summary>Print the version to stdout and exit 0.</summary>
    internal sealed record ShowVersion : ParsedCommandLine;

    /// <summary>Print <paramref name="Message"/> as one line on stderr and exit 2.</summary>
    internal sealed record Invalid(string Message) : ParsedCommandLine;
}
