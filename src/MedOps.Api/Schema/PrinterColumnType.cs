namespace MedOps.Api.Schema;

/// <summary>How kubectl formats a printer column (the CRD column <c>type</c>).</summary>
public enum PrinterColumnType
{
    /// <summary>Text as is.</summary>
    String,

    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>A number.</summary>
    Number,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>A timestamp, shown as an age (<c>5m</c>).</summary>
    Date,
}
