using System.Diagnostics;

namespace ApiKeyOperator.Benchmarks;

/// <summary>
/// Peak working set of this process, sampled every 250 ms and from the OS's own peak counter. The process holds
/// KubeSim too, so this is an upper bound of the operator's RSS.
/// </summary>
public sealed class MemorySampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peak;

    public MemorySampler()
    {
        _loop = SampleAsync();
    }

    /// <summary>The larger of the sampled maximum and <see cref="Process.PeakWorkingSet64"/>, in bytes.</summary>
    public long PeakBytes
    {
        get
        {
            using var process = Process.GetCurrentProcess();
            return Math.Max(Interlocked.Read(ref _peak), process.PeakWorkingSet64);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            do
            {
                var now = Environment.WorkingSet;
                if (now > Interlocked.Read(ref _peak))
                {
                    Interlocked.Exchange(ref _peak, now);
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }
}
