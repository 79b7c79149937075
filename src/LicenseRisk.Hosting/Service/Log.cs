using Microsoft.Extensions.Logging;

namespace LicenseRisk.Hosting.Service;

/// <summary>
/// Every log line of the service, with structured fields; a count stays a number field, with its
/// noun in the right number beside it as a field of its own ("1 failure", "2 failures").
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Service started: vendors {Vendors}, reports to {Out}, schedule '{Schedule}' ({TimeZone})")]
    public static partial void Started(ILogger logger, string vendors, string @out, string schedule, string timeZone);

    [LoggerMessage(2, LogLevel.Information, "Next report at {NextRun:u}")]
    public static partial void NextRun(ILogger logger, DateTimeOffset nextRun);

    [LoggerMessage(3, LogLevel.Warning, "The schedule '{Schedule}' has no next occurrence; no more reports will run")]
    public static partial void NoNextRun(ILogger logger, string schedule);

    public static void ReportWritten(ILogger logger, string isoWeek, string asOf, string @out, int vendorCount, string packName, string packVersion, string packSha256) =>
        ReportWrittenLine(logger, isoWeek, asOf, @out, vendorCount, Noun(vendorCount, "vendor"), packName, packVersion, packSha256);

    [LoggerMessage(4, LogLevel.Information, "Report {IsoWeek} as of {AsOf} written to {Out}: {VendorCount} {VendorNoun}, pack {PackName} {PackVersion} (sha256 {PackSha256})")]
    private static partial void ReportWrittenLine(ILogger logger, string isoWeek, string asOf, string @out, int vendorCount, string vendorNoun, string packName, string packVersion, string packSha256);

    [LoggerMessage(5, LogLevel.Error, "Report run failed")]
    public static partial void ReportFailed(ILogger logger, Exception exception);

    [LoggerMessage(6, LogLevel.Warning, "Report run skipped: {Reason}")]
    public static partial void ReportSkipped(ILogger logger, string reason);

    public static void InputsLoaded(ILogger logger, string packName, string packVersion, string packSha256, int dossierCount) =>
        InputsLoadedLine(logger, packName, packVersion, packSha256, dossierCount, Noun(dossierCount, "dossier"));

    [LoggerMessage(7, LogLevel.Information, "Loaded pack {PackName} {PackVersion} (sha256 {PackSha256}) and {DossierCount} {DossierNoun}")]
    private static partial void InputsLoadedLine(ILogger logger, string packName, string packVersion, string packSha256, int dossierCount, string dossierNoun);

    [LoggerMessage(8, LogLevel.Error, "{File}:{Line}:{Column}: error {Code}: {Message}")]
    public static partial void InputError(ILogger logger, string file, int line, int column, string code, string message);

    [LoggerMessage(9, LogLevel.Error, "Reload rejected with {Errors}; still using pack {PackName} {PackVersion} (sha256 {PackSha256}) and its dossiers")]
    public static partial void ReloadRejected(ILogger logger, string errors, string packName, string packVersion, string packSha256);

    [LoggerMessage(10, LogLevel.Debug, "Change in {Path}; reloading after the debounce")]
    public static partial void InputChanged(ILogger logger, string path);

    public static void WebhookSent(ILogger logger, int vendorCount, int attempt) => WebhookSentLine(logger, vendorCount, Noun(vendorCount, "vendor"), attempt);

    [LoggerMessage(11, LogLevel.Information, "Webhook delivered: {VendorCount} {VendorNoun} changed (attempt {Attempt})")]
    private static partial void WebhookSentLine(ILogger logger, int vendorCount, string vendorNoun, int attempt);

    [LoggerMessage(12, LogLevel.Warning, "Webhook attempt {Attempt} of {MaxAttempts} failed: {Reason}; next attempt in {DelaySeconds:0.###} s")]
    public static partial void WebhookAttemptFailed(ILogger logger, int attempt, int maxAttempts, string reason, double delaySeconds);

    public static void WebhookGaveUp(ILogger logger, int maxAttempts, string reason) => WebhookGaveUpLine(logger, maxAttempts, Noun(maxAttempts, "attempt"), reason);

    [LoggerMessage(13, LogLevel.Error, "Webhook not delivered after {MaxAttempts} {AttemptNoun}: {Reason}")]
    private static partial void WebhookGaveUpLine(ILogger logger, int maxAttempts, string attemptNoun, string reason);

    [LoggerMessage(15, LogLevel.Warning, "Webhook not delivered: the service stopped during attempt {Attempt}")]
    public static partial void WebhookAbandoned(ILogger logger, int attempt);

    public static void CollectStarted(ILogger logger, int dossierCount) => CollectStartedLine(logger, dossierCount, Noun(dossierCount, "dossier"));

    [LoggerMessage(16, LogLevel.Information, "Collecting from the sources of {DossierCount} {DossierNoun}")]
    private static partial void CollectStartedLine(ILogger logger, int dossierCount, string dossierNoun);

    public static void Collected(ILogger logger, int added, int failed) => CollectedLine(logger, added, Noun(added, "candidate"), failed, Noun(failed, "failure"));

    [LoggerMessage(17, LogLevel.Information, "Collected: {Added} new {CandidateNoun}, {Failed} {FailureNoun}")]
    private static partial void CollectedLine(ILogger logger, int added, string candidateNoun, int failed, string failureNoun);

    [LoggerMessage(18, LogLevel.Warning, "Collect: {Source} for '{Vendor}' failed: {Url}: {Reason}")]
    public static partial void SourceFailed(ILogger logger, string vendor, string source, string url, string reason);

    [LoggerMessage(19, LogLevel.Warning, "The collect schedule '{Schedule}' has no next occurrence; collects run only before the reports")]
    public static partial void NoNextCollect(ILogger logger, string schedule);

    [LoggerMessage(20, LogLevel.Information, "Next collect at {NextCollect:u}")]
    public static partial void NextCollect(ILogger logger, DateTimeOffset nextCollect);

    public static void AutoAccepted(ILogger logger, int count, string dossier, string policy) => AutoAcceptedLine(logger, count, Noun(count, "candidate"), dossier, policy);

    [LoggerMessage(21, LogLevel.Information, "Collect: {Count} {CandidateNoun} of {Dossier} accepted automatically (policy {Policy}, collect.auto_accept)")]
    private static partial void AutoAcceptedLine(ILogger logger, int count, string candidateNoun, string dossier, string policy);

    /// <summary>The noun in the number its count needs ("vendor" for 1, "vendors" otherwise).</summary>
    private static string Noun(int count, string singular) => count == 1 ? singular : singular + "s";

    [LoggerMessage(14, LogLevel.Information, "Service stopping")]
    public static partial void Stopping(ILogger logger);
}
