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

    /// <summary>The lock file of a dossier: <c>meta.yaml</c> has <c>.meta.yaml.lock</c> beside it.</summary>
    public static string PathFor(string dossierPath)
    {
        var dir = Path.GetDirectoryName(dossierPath);
        var name = "." + Path.GetFileName(dossierPath) + ".lock";
        return string.IsNullOrEmpty(dir) ? name : Path.Combine(dir, name).Replace('\\', '/');
    }

    /// <summary>Takes the dossier's lock, waiting at most <paramref name="wait"/> (default <see cref="DefaultWait"/>).</summary>
    /// <returns>the held lock, or null with the located problem on <paramref name="diags"/>.</returns>
    public static IDisposable? Acquire(string dossierPath, DiagnosticBag diags, TimeSpan? wait = null)
    {
        var path = PathFor(dossierPath);
        var limit = wait ?? DefaultWait;
        try
        {
            var held = FileLock.TryAcquire(path, limit);
            if (held is null)
            {
                diags.Report(SourceSpan.None(path), DiagnosticCodes.DossierInUse, $"another licenserisk process held this dossier's lock for {limit.TotalSeconds:0.#} s (review, collect or serve); nothing was changed: try again when it has finished");
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
