using LicenseRisk.Hosting.Reports;
using LicenseRisk.Presentation.Report;

namespace LicenseRisk.Hosting.Service;

/// <summary>What the service has done so far (for logs, tests and a future health endpoint).</summary>
public sealed class ServiceStatus
{
    private int _completed;

    public int Completed => Volatile.Read(ref _completed);

    public WeeklyReport? Last { get; private set; }

    internal void Done(WeeklyReport report)
    {
        Last = report;
        Interlocked.Increment(ref _completed);
    }
}
