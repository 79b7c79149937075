using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;

namespace LicenseRisk.Benchmarks;

/// <summary>Short runs (a shared 2-core machine): ratios measured in the same run are what count.</summary>
public class BenchConfig : ManualConfig
{
    public BenchConfig()
        : this(Job.ShortRun.WithId("Short"))
    {
    }

    protected BenchConfig(Job job)
    {
        AddJob(job);
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(BaselineRatioColumn.RatioMean);
        AddExporter(CsvExporter.Default, MarkdownExporter.GitHub);
        WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Value));
        WithOptions(ConfigOptions.JoinSummary | ConfigOptions.DisableLogFile);
    }
}

/// <summary>Compilation takes seconds: one cold-ish invocation per iteration.</summary>
public sealed class CompileConfig : BenchConfig
{
    public CompileConfig()
        : base(Job.Default.WithStrategy(BenchmarkDotNet.Engines.RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3).WithId("Compile"))
    {
    }
}
