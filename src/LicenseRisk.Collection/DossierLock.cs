using LicenseRisk.Model;
using LicenseRisk.Presentation;

namespace LicenseRisk.Collection;

/// <summary>
/// The lock every read-modify-write of a dossier's inbox, and of the dossier itself by review,
/// holds: <c>.NAME.yaml.lock</c> beside the dossier (a hidden <see cref="FileLock"/>). Review
/// (the CLI's and the web's), auto-accept and collect take it, so two processes deciding on one
/// inbox at once never lose each other's change; the second waits for the first.
/// </summary>
public static class DossierLock
{
    /// <summary>How long a change waits for another process's before giving up with <see cref="DiagnosticCodes.DossierInUse"/>.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    /// <summary>The environment variable that sets <see cref="Wait"/> in whole seconds (0 to 3600).</summary>
    public const string WaitVariable = "LICENSERISK_LOCK_WAIT";

    /// <summary>
    /// The wait used when a caller gives none: <see cref="DefaultWait"/>, or what the CLI read from
    /// <see cref="WaitVariable"/> at start (once, for every command, <c>serve</c> included).
    /// </summary>
    public static TimeSpan Wait { get; set; } = DefaultWait;

    /// <summary>
    /// Reads <see cref="WaitVariable"/>'s value: null or empty keeps <see cref="DefaultWait"/>;
    /// otherwise whole seconds from 0 to 3600, or null with <paramref name="problem"/> saying why.
    /// </summary>
    public static TimeSpan? ParseWait(string? value, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return DefaultWait;
        }

        if (int.TryParse(value.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds <= 3600)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        problem = $"{WaitVariable}: must be a whole number of seconds from 0 to 3600, not '{value}'";
        return null;
    }

    /// <summary>The lock file of a dossier: <c>meta.yaml</c> has <c>.meta.yaml.lock</c> beside it.</summary>
    public static string PathFor(string dossierPath)
    {
        var dir = Path.GetDirectoryName(dossierPath);
        var name = "." + Path.GetFileName(dossierPath) + ".lock";
        return string.IsNullOrEmpty(dir) ? name : Path.Combine(dir, name).Replace('\\', '/');
    }

    /// <summary>Takes the dossier's lock, waiting at most <paramref name="wait"/> (default <see cref="Wait"/>).</summary>
    /// <returns>the held lock, or null with the located problem on <paramref name="diags"/>.</returns>
    public static IDisposable? Acquire(string dossierPath, DiagnosticBag diags, TimeSpan? wait = null)
    {
        var path = PathFor(dossierPath);
        var limit = wait ?? Wait;
        try
        {
            var held = FileLock.TryAcquire(path, limit);
            if (held is null)
            {
                diags.Report(SourceSpan.None(path), DiagnosticCodes.DossierInUse, $"another licenserisk process held this dossier's lock for {limit.TotalSeconds:0.#} s (review, collect or serve); nothing was changed: try again when it has finished, or wait longer with {WaitVariable}");
            }

            return held;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            diags.Report(SourceSpan.None(path), DiagnosticCodes.CannotWriteOutput, $"cannot create the dossier's lock file: {ex.Message}");
            return null;
        }
    }
}
