// Entry point; the command tree (run, rotate, status, audit) is built in OperatorCommands.
return 0;
