using MedOps.Runtime.Api;
using MedOps.Runtime.Audit;

namespace MedOps.Cli;

/// <summary>Runs one command line: parse, connect, run the command, turn failures into one line and an exit code.</summary>
internal static class CliApp
{
    /// <summary>Runs <paramref name="args"/>; returns the exit code (<see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, ICliEnvironment environment, TextWriter output, TextWriter error,
        Func<ClusterFlags, ICliEnvironment, IAuditSource> connect, CancellationToken cancellationToken)
    {
        var command = CommandLine.Parse(args);
        switch (command)
        {
            case CliCommand.ShowText show:
                await output.WriteAsync(show.Text);
                return ExitCodes.Success;
            case CliCommand.Invalid invalid:
                await error.WriteLineAsync($"medops: {invalid.Message}");
                await error.WriteLineAsync($"Run '{invalid.HelpCommand}' for usage.");
                return ExitCodes.Usage;
        }

        var cluster = command switch
        {
            CliCommand.Verify verify => verify.Cluster,
            CliCommand.History history => history.Cluster,
            _ => throw new InvalidOperationException($"unhandled command {command}"),
        };
        try
        {
            var source = connect(cluster, environment);
            return command switch
            {
                CliCommand.Verify verify => await AuditCommands.VerifyAsync(verify, source, output, cancellationToken),
                CliCommand.History history => await AuditCommands.HistoryAsync(history, source, output, error, cancellationToken),
                _ => throw new InvalidOperationException($"unhandled command {command}"),
            };
        }
        catch (ClusterUnreadableException exception)
        {
            await error.WriteLineAsync($"medops: {exception.Message}");
            return ExitCodes.ClusterUnreadable;
        }
        catch (Exception exception) when (IsClusterFailure(exception))
        {
            await error.WriteLineAsync($"medops: cannot read the audit trail of namespace {cluster.Namespace} "
                + $"(ConfigMaps in {cluster.AuditNamespace}): {Cause(exception)}");
            return ExitCodes.ClusterUnreadable;
        }
        catch (AuditFormatException exception)
        {
            await error.WriteLineAsync($"medops: the audit trail of namespace {cluster.Namespace} is damaged: {OneLine(exception.Message)}");
            return ExitCodes.Broken;
        }
    }

    /// <summary>Joins a message's lines into one.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static bool IsClusterFailure(Exception exception) =>
        exception is KubeApiException or HttpRequestException or TimeoutException or System.Security.Authentication.AuthenticationException
        || (exception is TaskCanceledException && exception.InnerException is TimeoutException);

    private static string Cause(Exception exception)
    {
        // HttpRequestException wraps the socket's reason ("Connection refused"): name both.
        var inner = exception.InnerException;
        var message = inner is not null && exception is HttpRequestException && !exception.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{exception.Message.TrimEnd('.')}: {inner.Message}"
            : exception.Message;
        return OneLine(message);
    }
}
