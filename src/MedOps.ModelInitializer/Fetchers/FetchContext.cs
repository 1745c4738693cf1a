using MedOps.ModelInitializer.Configuration;
using MedOps.ModelInitializer.Downloads;
using MedOps.ModelInitializer.Paths;

namespace MedOps.ModelInitializer.Fetchers;

/// <summary>What every download fetcher works with.</summary>
/// <param name="Settings">The environment's settings.</param>
/// <param name="Credentials">The store's credentials.</param>
/// <param name="Directory">The destination.</param>
/// <param name="Budget">What is left of <c>MODEL_MAX_BYTES</c>.</param>
/// <param name="Runner">Retries.</param>
/// <param name="Log">The container's log.</param>
/// <param name="Time">The clock of progress lines and Retry-After dates.</param>
internal sealed record FetchContext(
    FetchSettings Settings,
    StoreCredentials Credentials,
    ModelDirectory Directory,
    ByteBudget Budget,
    AttemptRunner Runner,
    TextWriter Log,
    TimeProvider Time);
