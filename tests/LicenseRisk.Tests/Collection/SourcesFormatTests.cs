using LicenseRisk.Tests.Cli;
using LicenseRisk.Tests.Hosting;

namespace LicenseRisk.Tests.Collection;

/// <summary>vendor.sources and a signal's provenance block: read, and located errors when wrong.</summary>
public sealed class SourcesFormatTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Bad_sources_and_provenance_are_located_errors_all_at_once()
    {
        var path = _dir["bad.yaml"];
        File.WriteAllText(path, """
            vendor:
              id: x
              name: X
              sources:
                huggingface: [good-org, "https://huggingface.co/bad"]
                feeds: [ftp://example.org/feed]
                hugginface: [typo]
            signals:
            - kind: statement
              date: 2026-01-02
              stance: neutral
              source: a
              provenance:
                collector: feed
                url: http://example.org/f.xml
                fetched_at: yesterday
                sha256: abc
                candidate: feed-1
                colour: red

            """);
        var r = CliProcess.InProcess("check", path);
        r.ExitCode.ShouldBe(2);
        r.Stderr.ShouldContain($"{path}:5:29: error LR036: 'https://huggingface.co/bad' is not a huggingface name");
        r.Stderr.ShouldContain($"{path}:6:13: error LR036: feed 'ftp://example.org/feed' is not an http or https address");
        r.Stderr.ShouldContain($"{path}:7:5: error LR036: unknown source 'hugginface' in vendor.sources; expected huggingface, openrouter, github or feeds (did you mean 'huggingface'?)");
        r.Stderr.ShouldContain($"{path}:16:17: error LR037: provenance fetched_at 'yesterday' is not a date and time");
        r.Stderr.ShouldContain($"{path}:17:13: error LR037: provenance sha256 must be 64 lowercase hex digits");
        r.Stderr.ShouldContain($"{path}:19:5: error LR037: unknown key 'colour' in provenance");
        r.Stderr.ShouldEndWith("6 errors\n");
    }

    [Fact]
    public void The_bundled_samples_name_their_sources_and_still_read()
    {
        var r = CliProcess.InProcess("check", Repo.Path("samples/vendors"));
        r.ExitCode.ShouldBe(0, r.Stderr);
        File.ReadAllText(Repo.Path("samples/vendors/meta.yaml")).ShouldContain("  sources:\n    huggingface: [meta-llama]\n");
    }
}
