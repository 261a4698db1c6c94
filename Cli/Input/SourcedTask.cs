using TaskGrid.Tasks;

namespace TaskGrid.Cli.Input;

/// <summary>A task read from a file, with the line it starts on, so that errors can point at it.</summary>
internal sealed record SourcedTask(SubmitTaskRequest Request, int Line);
