namespace MedOps.Api.Schema;

/// <summary>
/// A column of <c>kubectl get</c> for the kind (CRD <c>additionalPrinterColumns</c>). Columns
/// appear in the order the attributes are written on the class.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class PrinterColumnAttribute(string name, string jsonPath, PrinterColumnType type, string description) : Attribute
{
    /// <summary>The column header.</summary>
    public string Name { get; } = name;

    /// <summary>The JSONPath of the value, relative to the object (<c>.status.phase</c>).</summary>
    public string JsonPath { get; } = jsonPath;

    /// <summary>How kubectl formats the value.</summary>
    public PrinterColumnType Type { get; } = type;

    /// <summary>What the column shows.</summary>
    public string Description { get; } = description;

    /// <summary>0: always shown; 1: only with <c>-o wide</c>.</summary>
    public int Priority { get; set; }
}
