using System.Diagnostics;
using System.Text.Json;
using MedOps.Runtime.Telemetry;
using Microsoft.Extensions.Logging;

namespace MedOps.Runtime.Admission;

/// <summary>
/// Answers AdmissionReviews: finds the validator of the request's kind, runs it under a
/// deadline shorter than the webhook's timeout, and turns its verdict into the response the API
/// server shows users: one message naming every refused field, and one cause per field.
/// Fails closed: a validator that throws or overruns refuses the request with the reason.
/// </summary>
public sealed class AdmissionDispatcher
{
    private readonly Dictionary<(string Group, string Kind), IAdmissionValidator> validators;
    private readonly Dictionary<(string Group, string Kind), IAdmissionMutator> mutators;
    private readonly IAdmissionObserver? observer;
    private readonly TimeSpan deadline;
    private readonly ILogger logger;

    /// <param name="validators">One per kind.</param>
    /// <param name="deadline">How long a validator may take; keep it under the webhook's timeoutSeconds.</param>
    /// <param name="logger">Logs refusals and failures.</param>
    /// <param name="mutators">At most one per kind, for the mutating webhook.</param>
    /// <param name="observer">Told of every validated request that is not a dry run (the audit trail).</param>
    public AdmissionDispatcher(IEnumerable<IAdmissionValidator> validators, TimeSpan deadline, ILogger logger,
        IEnumerable<IAdmissionMutator>? mutators = null, IAdmissionObserver? observer = null)
    {
        this.validators = validators.ToDictionary(v => (v.Group, v.Kind));
        this.mutators = (mutators ?? []).ToDictionary(m => (m.Group, m.Kind));
        this.observer = observer;
        this.deadline = deadline;
        this.logger = logger;
    }

    /// <summary>The kinds served, as "Kind.group".</summary>
    public IEnumerable<string> Kinds => validators.Keys.Select(k => $"{k.Kind}.{k.Group}");

    /// <summary>
    /// Reads an AdmissionReview from <paramref name="body"/> and returns the answer.
    /// <paramref name="callerTimeout"/> is the API server's own timeout for the call (its
    /// <c>?timeout=</c>): a decision gets half a second less, so that a slow check still ends in
    /// this webhook's own explanation rather than the API server's timeout error.
    /// </summary>
    public async Task<AdmissionReview> HandleAsync(Stream body, CancellationToken cancellationToken, TimeSpan? callerTimeout = null)
    {
        var (review, request) = await ReadAsync(body, cancellationToken).ConfigureAwait(false);
        return new AdmissionReview { ApiVersion = review.ApiVersion, Response = await DecideAsync(request, cancellationToken, Limit(callerTimeout)).ConfigureAwait(false) };
    }

    /// <summary>
    /// Reads an AdmissionReview from <paramref name="body"/> and answers it as the mutating
    /// webhook: the mutator's JSON Patch, or a refusal when the mutator fails.
    /// </summary>
    public async Task<AdmissionReview> HandleMutationAsync(Stream body, CancellationToken cancellationToken, TimeSpan? callerTimeout = null)
    {
        var (review, request) = await ReadAsync(body, cancellationToken).ConfigureAwait(false);
        return new AdmissionReview { ApiVersion = review.ApiVersion, Response = await MutateAsync(request, cancellationToken, Limit(callerTimeout)).ConfigureAwait(false) };
    }

    /// <summary>Mutates one request, within <paramref name="limit"/> (default: the dispatcher's deadline).</summary>
    public async Task<AdmissionResponse> MutateAsync(AdmissionRequest request, CancellationToken cancellationToken, TimeSpan? limit = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Operation is not ("CREATE" or "UPDATE") || !string.IsNullOrEmpty(request.SubResource)
            || !mutators.TryGetValue((request.Kind.Group, request.Kind.Kind), out var mutator))
        {
            return new AdmissionResponse { Uid = request.Uid, Allowed = true };
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit ?? deadline);
        try
        {
            var operations = await mutator.MutateAsync(request, timeout.Token).ConfigureAwait(false);
            RuntimeMetrics.AdmissionRequests.Add(1,
                new("kind", request.Kind.Kind), new("operation", request.Operation + "/mutate"), new("allowed", "true"));
            return operations.Count == 0
                ? new AdmissionResponse { Uid = request.Uid, Allowed = true }
                : new AdmissionResponse
                {
                    Uid = request.Uid,
                    Allowed = true,
                    PatchType = "JSONPatch",
                    Patch = Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(operations)),
                };
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            RuntimeMetrics.AdmissionRequests.Add(1,
                new("kind", request.Kind.Kind), new("operation", request.Operation + "/mutate"), new("allowed", "false"));
            return Failed(request, exception, limit ?? deadline);
        }
    }

    private static async Task<(AdmissionReview Review, AdmissionRequest Request)> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        AdmissionReview? review;
        try
        {
            review = await JsonSerializer.DeserializeAsync<AdmissionReview>(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException exception)
        {
            throw new BadAdmissionReviewException($"the body is not an AdmissionReview: {exception.Message}");
        }
        if (review?.Request is not { } request)
        {
            throw new BadAdmissionReviewException("the AdmissionReview has no request");
        }
        return (review, request);
    }

    private TimeSpan Limit(TimeSpan? callerTimeout)
    {
        var limit = deadline;
        if (callerTimeout is { } timeout && timeout - TimeSpan.FromMilliseconds(500) < limit)
        {
            limit = TimeSpan.FromTicks(Math.Max(timeout.Ticks - TimeSpan.FromMilliseconds(500).Ticks, TimeSpan.FromMilliseconds(200).Ticks));
        }
        return limit;
    }

    /// <summary>Decides on one request, within <paramref name="limit"/> (default: the dispatcher's deadline).</summary>
    public async Task<AdmissionResponse> DecideAsync(AdmissionRequest request, CancellationToken cancellationToken, TimeSpan? limit = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        var response = await DecideUntimedAsync(request, limit ?? deadline, cancellationToken).ConfigureAwait(false);
        RuntimeMetrics.AdmissionRequests.Add(1,
            new("kind", request.Kind.Kind), new("operation", request.Operation), new("allowed", response.Allowed ? "true" : "false"));
        RuntimeMetrics.AdmissionTime.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("kind", request.Kind.Kind));
        return response;
    }

    private async Task<AdmissionResponse> DecideUntimedAsync(AdmissionRequest request, TimeSpan limit, CancellationToken cancellationToken)
    {
        if (request.Operation is not ("CREATE" or "UPDATE" or "DELETE") || !string.IsNullOrEmpty(request.SubResource)
            || !validators.TryGetValue((request.Kind.Group, request.Kind.Kind), out var validator))
        {
            // Only CREATE, UPDATE and DELETE of the main resource are validated (DELETE only for
            // the kinds whose validators look at it); anything else is not this process' business.
            return new AdmissionResponse { Uid = request.Uid, Allowed = true };
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        AdmissionVerdict verdict;
        try
        {
            verdict = await validator.ValidateAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Failed(request, exception, limit);
        }

        if (observer is not null && request.DryRun != true)
        {
            try
            {
                await observer.ObserveAsync(request, verdict, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (verdict.Allowed && (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
            {
                // What cannot be recorded does not happen: an allowed change without its audit
                // record would be a hole in the trail.
                return Failed(request, new InvalidOperationException($"the audit trail could not be written ({exception.Message})", exception), limit);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "the refusal of {Kind} {Namespace}/{Name} could not be recorded in the audit trail", request.Kind.Kind, request.Namespace, request.Name);
            }
        }

        if (verdict.Allowed)
        {
            return new AdmissionResponse { Uid = request.Uid, Allowed = true, Warnings = verdict.Warnings.Count > 0 ? [.. verdict.Warnings] : null };
        }

        var forbidden = verdict.Violations.Any(v => v.Forbidden);
        var message = $"{Subject(request)} is {(forbidden ? "forbidden" : "invalid")}: {string.Join("; ", verdict.Violations.Select(v => v.Message))}";
        logger.LogInformation("refused {Operation} of {Kind} {Namespace}/{Name} by {User}: {Message}",
            request.Operation, request.Kind.Kind, request.Namespace, request.Name, request.UserInfo.Username, message);
        return new AdmissionResponse
        {
            Uid = request.Uid,
            Allowed = false,
            Warnings = verdict.Warnings.Count > 0 ? [.. verdict.Warnings] : null,
            Status = new AdmissionStatus
            {
                Code = forbidden ? 403 : 422,
                Reason = forbidden ? "Forbidden" : "Invalid",
                Message = message,
                Details = new AdmissionStatusDetails
                {
                    Causes = [.. verdict.Violations.Select(v => new AdmissionStatusCause
                    {
                        Reason = v.Forbidden ? "FieldValueForbidden" : "FieldValueInvalid",
                        Field = v.Field,
                        // kubectl prints "field: message" for each cause, so the cause's message
                        // does not repeat the field the violation's own message starts with.
                        Message = WithoutLeadingField(v),
                    })],
                },
            },
        };
    }

    private AdmissionResponse Failed(AdmissionRequest request, Exception exception, TimeSpan limit)
    {
        var cause = exception is OperationCanceledException
            ? $"the check did not finish within {limit.TotalSeconds:0.#}s"
            : exception.Message;
        logger.LogWarning(exception, "admission of {Kind} {Namespace}/{Name} failed: {Cause}", request.Kind.Kind, request.Namespace, request.Name, cause);
        return new AdmissionResponse
        {
            Uid = request.Uid,
            Allowed = false,
            Status = new AdmissionStatus
            {
                Code = 500,
                Reason = "InternalError",
                Message = $"{Subject(request)} could not be checked, so it is refused: {cause}; try again",
            },
        };
    }

    // "spec.memory \"lots\" is not…" becomes "\"lots\" is not…", "spec.source: set…" becomes "set…".
    private static string WithoutLeadingField(FieldViolation violation)
    {
        var message = violation.Message;
        if (!message.StartsWith(violation.Field, StringComparison.Ordinal) || message.Length == violation.Field.Length
            || message[violation.Field.Length] is not (':' or ' '))
        {
            return message;
        }
        return message[violation.Field.Length..].TrimStart(':').TrimStart();
    }

    private static string Subject(AdmissionRequest request) =>
        $"{request.Kind.Kind}.{request.Kind.Group} \"{request.Name}\"";
}

/// <summary>The request body was not an AdmissionReview (answered with 400).</summary>
public sealed class BadAdmissionReviewException(string message) : Exception(message);
