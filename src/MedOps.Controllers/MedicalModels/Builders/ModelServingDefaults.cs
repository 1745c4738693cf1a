namespace MedOps.Controllers.MedicalModels.Builders;

/// <summary>The operator options that shape MedicalModel children.</summary>
/// <param name="ModelInitializerImage">
/// <c>--model-initializer-image</c>: the image of the <c>model-initializer</c> init container
/// that downloads (and verifies) the model.
/// </param>
/// <param name="PhiEgressCidrs">
/// <c>guardrails.phiEgressCIDRs</c>: the only addresses outside the cluster that PHI and
/// LimitedDataSet model pods may reach (object storage, registries); already validated CIDRs.
/// </param>
public sealed record ModelServingDefaults(string ModelInitializerImage, IReadOnlyList<string> PhiEgressCidrs);
