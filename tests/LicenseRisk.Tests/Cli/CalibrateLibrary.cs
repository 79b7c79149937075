namespace LicenseRisk.Tests.Cli;

/// <summary>
/// calibrate over the whole case library (samples/cases, samples/holdout, samples/library) as the
/// CLI tests run it: the runs shared by the test classes that read the same output, each made once.
/// </summary>
internal static class CalibrateLibrary
{
    public static readonly string[] Folders = [Repo.Path("samples/cases"), Repo.Path("samples/holdout"), Repo.Path("samples/library")];

    /// <summary>calibrate's --format json over the library, run once in this process.</summary>
    public static readonly Lazy<string> Json = new(() => Run("--format", "json").Stdout);

    /// <summary>Runs calibrate over the library (the overlay to a file of its own), -q and the options given; it must succeed.</summary>
    public static CliResult Run(params string[] more)
    {
        using var dir = new Hosting.TempDir();
        var r = CliProcess.InProcess(["calibrate", .. Folders, "--output", dir["f.yaml"], "-q", .. more]);
        r.ExitCode.ShouldBe(0, r.Stderr);
        return r;
    }
}
