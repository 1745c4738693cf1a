using MedOps.Api.V1Alpha1;

namespace MedOps.Controllers.Admission;

/// <summary>The order of data classifications, most sensitive first: PHI, LimitedDataSet, DeIdentified, Public.</summary>
public static class Sensitivity
{
    /// <summary>3 for PHI down to 0 for Public.</summary>
    public static int Rank(DataClassification classification) => classification switch
    {
        DataClassification.PHI => 3,
        DataClassification.LimitedDataSet => 2,
        DataClassification.DeIdentified => 1,
        _ => 0,
    };

    /// <summary>True when <paramref name="next"/> is less sensitive than <paramref name="previous"/>.</summary>
    public static bool IsLowered(DataClassification previous, DataClassification next) => Rank(next) < Rank(previous);
}
