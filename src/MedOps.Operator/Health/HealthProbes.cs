using System.Text;

namespace MedOps.Operator.Health;

/// <summary>
/// Serves <c>/healthz</c> (alive and not shutting down) and <c>/readyz</c> (every
/// <see cref="ReadinessGate"/> check passes) in controller-runtime's plain-text format:
/// <c>ok</c>, or one <c>[+]name ok</c> / <c>[-]name failed: reason</c> line per check with 503.
/// Add <c>?verbose</c> to list the checks when all pass.
/// </summary>
internal sealed class HealthProbes(ReadinessGate readiness, IHostApplicationLifetime lifetime)
{
    private const string ShutdownCheck = "shutdown";

    /// <summary>Answers one request on the health probe port.</summary>
    public Task HandleAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return Task.CompletedTask;
        }

        var results = context.Request.Path.Value switch
        {
            "/healthz" => new List<ReadinessCheckResult> { ShutdownResult() },
            "/readyz" => [ShutdownResult(), .. readiness.Evaluate()],
            _ => null,
        };

        if (results is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        var kind = context.Request.Path.Value!.TrimStart('/');
        return WriteAsync(context, kind, results, context.Request.Query.ContainsKey("verbose"));
    }

    private ReadinessCheckResult ShutdownResult() =>
        lifetime.ApplicationStopping.IsCancellationRequested
            ? new(ShutdownCheck, false, "the process is shutting down")
            : new(ShutdownCheck, true, null);

    private static Task WriteAsync(HttpContext context, string kind, IReadOnlyList<ReadinessCheckResult> results, bool verbose)
    {
        var healthy = results.All(result => result.IsReady);
        var body = new StringBuilder();
        if (healthy && !verbose)
        {
            body.Append("ok");
        }
        else
        {
            foreach (var result in results)
            {
                body.Append(result.IsReady ? $"[+]{result.Name} ok\n" : $"[-]{result.Name} failed: {result.Reason}\n");
            }

            body.Append(healthy ? $"{kind} check passed\n" : $"{kind} check failed\n");
        }

        context.Response.StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.WriteAsync(body.ToString(), context.RequestAborted);
    }
}
