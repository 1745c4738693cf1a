using System.Text.Json.Serialization;

namespace MedOps.Api.V1Alpha1;

/// <summary>A day of the week, as a schedule names it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WeekDay>))]
public enum WeekDay
{
    /// <summary>Monday.</summary>
    Mon,

    /// <summary>Tuesday.</summary>
    Tue,

    /// <summary>Wednesday.</summary>
    Wed,

    /// <summary>Thursday.</summary>
    Thu,

    /// <summary>Friday.</summary>
    Fri,

    /// <summary>Saturday.</summary>
    Sat,

    /// <summary>Sunday.</summary>
    Sun,
}
