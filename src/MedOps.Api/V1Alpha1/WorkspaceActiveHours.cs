using System.ComponentModel;
using System.Text.Json.Serialization;
using MedOps.Api.Schema;

namespace MedOps.Api.V1Alpha1;

/// <summary>When a workspace may run: a daily window in a time zone, on some days of the week.</summary>
public sealed class WorkspaceActiveHours
{
    /// <summary>The window's start.</summary>
    [JsonPropertyName("start")]
    [Description("Start of the daily window, HH:MM on the 24-hour clock in timeZone, for example 07:00.")]
    [Required]
    [Pattern(ValidationPatterns.TimeOfDay)]
    public string Start { get; set; } = "";

    /// <summary>The window's end.</summary>
    [JsonPropertyName("end")]
    [Description("End of the daily window, HH:MM in timeZone, for example 19:00. An end at or before start makes the window cross midnight (22:00 to 06:00).")]
    [Required]
    [Pattern(ValidationPatterns.TimeOfDay)]
    public string End { get; set; } = "";

    /// <summary>The time zone of start and end.</summary>
    [JsonPropertyName("timeZone")]
    [Description("IANA time zone of start and end, for example Europe/Berlin or America/New_York; daylight-saving changes are followed. Default UTC.")]
    [DefaultValue("UTC")]
    [MinLength(1)]
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The days a window starts on.</summary>
    [JsonPropertyName("days")]
    [Description("Days on which a window starts (Mon, Tue, Wed, Thu, Fri, Sat, Sun); a window that crosses midnight belongs to the day it starts. Omitted: every day.")]
    public IList<WeekDay>? Days { get; set; }

    /// <summary>Whether a workspace stopped for being outside its hours starts at the next window.</summary>
    [JsonPropertyName("startAutomatically")]
    [Description("True: a workspace the schedule stopped (OutsideActiveHours) is started again when the next window opens. False (the default): it stays stopped until someone sets running: true.")]
    [DefaultValue(false)]
    public bool StartAutomatically { get; set; }
}
