using System.Text.RegularExpressions;
using MedOps.Controllers.Shared;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace MedOps.Operator.Configuration;

/// <summary>Reads and validates the <c>--config</c> YAML file, turning every problem into one readable sentence.</summary>
internal static partial class OperatorConfigFileReader
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithDuplicateKeyChecking()
        .Build();

    /// <summary>
    /// Reads <paramref name="path"/>. On failure returns false and an error such as
    /// <c>invalid config file "c.yaml": line 3, column 5: unknown key "phiEgress"</c>.
    /// </summary>
    public static bool TryRead(string path, IStartupEnvironment environment, out OperatorConfigFile file, out string? error)
    {
        file = new OperatorConfigFile();
        string text;
        try
        {
            text = environment.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var cause = exception is FileNotFoundException or DirectoryNotFoundException ? "file not found" : OneLine(exception.Message);
            error = $"cannot read config file \"{path}\": {cause}";
            return false;
        }

        try
        {
            // An empty file deserialises to null: no guardrails, no defaults.
            file = Deserializer.Deserialize<OperatorConfigFile?>(text) ?? new OperatorConfigFile();
        }
        catch (YamlException exception)
        {
            error = $"invalid config file \"{path}\": line {exception.Start.Line}, column {exception.Start.Column}: {Describe(exception)}";
            return false;
        }

        var problem = Validate(file);
        error = problem is null ? null : $"invalid config file \"{path}\": {problem}";
        return problem is null;
    }

    private static string? Validate(OperatorConfigFile file)
    {
        var cidrs = file.Guardrails?.PhiEgressCidrs ?? [];
        for (var i = 0; i < cidrs.Count; i++)
        {
            if (!CidrNotation.IsValid(cidrs[i]))
            {
                return $"guardrails.phiEgressCIDRs[{i}]: \"{cidrs[i]}\" is not a CIDR such as 10.0.0.0/8 (host bits must be zero)";
            }
        }

        var prefixes = file.Guardrails?.PhiSourcePrefixes ?? [];
        for (var i = 0; i < prefixes.Count; i++)
        {
            if (CheckSourcePrefix(prefixes[i]) is { } reason)
            {
                return $"guardrails.phiSourcePrefixes[{i}]: \"{prefixes[i]}\" {reason}";
            }
        }

        var classes = file.Guardrails?.PhiStorageClasses ?? [];
        for (var i = 0; i < classes.Count; i++)
        {
            if (classes[i] is null || !KubernetesNames.IsDns1123Subdomain(classes[i]))
            {
                return $"guardrails.phiStorageClasses[{i}]: \"{classes[i]}\" is not a StorageClass name (lower-case letters, digits, '-' and '.')";
            }
        }

        LifecycleDefaults.From(file.Defaults?.WorkspaceLifecycle, out var lifecycleError);
        if (lifecycleError is not null)
        {
            return lifecycleError;
        }

        if (AuditSettings.From(file.Audit, out var auditError) is null)
        {
            return auditError;
        }

        var image = file.Defaults?.ModelInitializerImage;
        if (image is not null && (image.Length == 0 || image.Any(char.IsWhiteSpace)))
        {
            return $"defaults.modelInitializerImage: \"{image}\" is not an image reference";
        }

        return null;
    }

    // A PHI source prefix must name one of the model URI schemes; plain http (no transmission
    // security) and public model hubs are refused whatever the configuration says.
    private static string? CheckSourcePrefix(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix))
        {
            return "is empty: it would allow every source";
        }
        if (prefix.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            return "is plain http, which gives patient data no transmission security: use an https:// or s3:// prefix";
        }
        if (prefix.StartsWith("hf://", StringComparison.OrdinalIgnoreCase) || prefix.Contains("huggingface.co", StringComparison.OrdinalIgnoreCase))
        {
            return "is a public model hub, which PHI models may not use: mirror the model into storage you control";
        }
        string[] schemes = ["pvc://", "s3://", "gs://", "https://"];
        return schemes.Any(s => prefix.StartsWith(s, StringComparison.Ordinal))
            ? null
            : $"does not start with one of the model URI schemes {string.Join(", ", schemes)}";
    }

    private static string Describe(YamlException exception)
    {
        // YamlDotNet wraps conversion errors; the innermost message names the real cause.
        Exception innermost = exception;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        var message = innermost is YamlException yaml ? StripLocation(yaml.Message) : innermost.Message;
        var unknownKey = UnknownPropertyPattern().Match(message);
        return unknownKey.Success ? $"unknown key \"{unknownKey.Groups[1].Value}\"" : OneLine(message);
    }

    private static string StripLocation(string message) => LocationPrefixPattern().Replace(message, "");

    private static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex LocationPrefixPattern();

    [GeneratedRegex(@"Property '([^']*)' not found on type")]
    private static partial Regex UnknownPropertyPattern();
}
