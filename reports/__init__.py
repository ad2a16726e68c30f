"""Staff dashboard, policy simulation, monthly report and exports: the top floor that joins the apps."""
