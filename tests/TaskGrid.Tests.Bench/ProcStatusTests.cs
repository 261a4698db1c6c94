using TaskGrid.Bench.Measurement;

namespace TaskGrid.Tests.Bench;

public sealed class ProcStatusTests
{
    [Fact]
    public void Reads_VmRSS_in_KiB_from_a_status_file()
    {
        const string status = "Name:\tdotnet\nVmPeak:\t 3000000 kB\nVmRSS:\t  123456 kB\nRssAnon:\t   99999 kB\n";

        Assert.Equal(123456, ProcStatus.ParseVmRssKiB(status));
    }

    [Fact]
    public void A_status_without_VmRSS_gives_null()
    {
        Assert.Null(ProcStatus.ParseVmRssKiB("Name:\tkthreadd\nState:\tS (sleeping)\n"));
    }

    [Fact]
    public void Reads_this_process_and_nothing_for_a_process_that_does_not_exist()
    {
        Assert.True(ProcStatus.ReadRssKiB(Environment.ProcessId) > 1000);
        Assert.Null(ProcStatus.ReadRssKiB(int.MaxValue));
    }

    [Fact]
    public void Cpu_time_is_utime_plus_stime_counted_after_the_command_name()
    {
        // The name may hold spaces and parentheses; fields count from the last ')'.
        const string stat = "4242 (dotnet (x) y) S 1 4242 4242 0 -1 4194560 9000 0 0 0 250 50 0 0 20 0 30 0 100 300000000 30000";

        Assert.Equal(3.0, ProcStatus.ParseCpuSeconds(stat));
    }

    [Fact]
    public void Machine_busy_time_leaves_out_idle_and_iowait()
    {
        const string stat = "cpu  100 0 50 1000 20 0 10 5 0 0\ncpu0 50 0 25 500 10 0 5 2 0 0\n";

        Assert.Equal(1.65, ProcStatus.ParseMachineBusySeconds(stat)!.Value, precision: 6);
        Assert.True(ProcStatus.ReadCpuSeconds(Environment.ProcessId) > 0);
    }
}
