using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;

namespace LicenseRisk.Benchmarks;

/// <summary>
/// Ratios measured in the same run are what count. On a shared 2-core machine one slow iteration
/// of a 3-iteration ShortRun moved a mean by 30%, so scoring runs 10 iterations and the summary
/// shows the median beside the mean.
/// </summary>
public class BenchConfig : ManualConfig
{
    public BenchConfig()
        : this(Job.ShortRun.WithIterationCount(10).WithId("Short10"))
    {
    }

    protected BenchConfig(Job job)
    {
        AddJob(job);
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median, BaselineRatioColumn.RatioMean);
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
