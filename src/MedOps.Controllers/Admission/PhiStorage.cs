using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;
using MedOps.Runtime.Admission;

namespace MedOps.Controllers.Admission;

/// <summary>
/// The rule that PHI and LimitedDataSet disks and training outputs use a StorageClass from
/// <c>guardrails.phiStorageClasses</c>, the classes the administrator knows to be encrypted at
/// rest. An omitted class means the cluster's default, which counts only if it is listed.
/// </summary>
public static class PhiStorage
{
    /// <summary>
    /// Null when <paramref name="storageClass"/> (null or empty: the default class) is allowed for
    /// <paramref name="classification"/>. <paramref name="what"/> names the volume in the message.
    /// </summary>
    public static async Task<FieldViolation?> CheckAsync(
        string field, string what, string? storageClass, DataClassification classification,
        GuardrailSettings settings, IAdmissionLookups lookups, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(lookups);
        if (!DataConfinement.IsConfined(classification))
        {
            return null;
        }
        var allowed = settings.PhiStorageClasses;
        var advice = allowed.Count == 0
            ? "no StorageClass is allowed yet: the operator's administrator must list the encrypted ones in guardrails.phiStorageClasses"
            : $"use one of {PhiSources.Quoted(allowed)} (guardrails.phiStorageClasses)";
        if (!string.IsNullOrEmpty(storageClass))
        {
            return allowed.Contains(storageClass, StringComparer.Ordinal)
                ? null
                : new FieldViolation(field, $"{field}: {what} uses StorageClass \"{storageClass}\", which is not allowed for {classification} data: {advice}");
        }

        var defaults = await lookups.DefaultStorageClassesAsync(cancellationToken).ConfigureAwait(false);
        return defaults.Count switch
        {
            1 when allowed.Contains(defaults[0], StringComparer.Ordinal) => null,
            1 => new FieldViolation(field,
                $"{field}: {what} names no StorageClass, so it gets the cluster's default \"{defaults[0]}\", which is not allowed for {classification} data: {advice}"),
            0 => new FieldViolation(field,
                $"{field}: {what} names no StorageClass and the cluster has no default one, so its encryption cannot be checked for {classification} data: {advice}"),
            _ => new FieldViolation(field,
                $"{field}: {what} names no StorageClass and the cluster marks several as default ({PhiSources.Quoted(defaults)}), so the one used cannot be known for {classification} data: {advice}"),
        };
    }
}
