using TaskGrid.Cli;

return await TaskGridCli.RunAsync(args, CliHost.FromProcess());
