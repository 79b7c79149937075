using LicenseRisk.Presentation.Report;

namespace LicenseRisk.Hosting.Service;

/// <summary>What the service has done so far (for logs, tests, the health and metrics endpoints).</summary>
public sealed class ServiceStatus
{
    private readonly Lock _gate = new();
    private int _completed;
    private int _failed;
    private double _secondsTotal;
    private long _vendorsScored;

    /// <summary>Report runs that wrote their files.</summary>
    public int Completed => Volatile.Read(ref _completed);

    /// <summary>Report runs that failed or were skipped (the output folder was locked).</summary>
    public int Failed => Volatile.Read(ref _failed);

    public WeeklyReport? Last { get; private set; }

    /// <summary>Wall time of the last completed run, in seconds.</summary>
    public double LastSeconds { get; private set; }

    /// <summary>Wall time of every completed run, summed, in seconds.</summary>
    public double SecondsTotal
    {
        get
        {
            lock (_gate)
            {
                return _secondsTotal;
            }
        }
    }

    /// <summary>Vendors scored by completed runs, summed.</summary>
    public long VendorsScored => Interlocked.Read(ref _vendorsScored);

    internal void Done(WeeklyReport report, TimeSpan took)
    {
        lock (_gate)
        {
            Last = report;
            LastSeconds = took.TotalSeconds;
            _secondsTotal += took.TotalSeconds;
        }

        Interlocked.Add(ref _vendorsScored, report.Vendors.Count);
        Interlocked.Increment(ref _completed);
    }

    internal void Fail() => Interlocked.Increment(ref _failed);
}
