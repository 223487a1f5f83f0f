#Requires -Version 7.0
# The module in thread jobs, background jobs and ForEach-Object -Parallel over several cluster files, and argument
# completion, against the live lab cluster. Lab test: needs HATOOLS_LAB=1 and the lab up (tests/lab/lab.sh up 3);
# bootstraps examples/lab.yaml if the cluster is not formed. Stage the module first.

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabClusters.ps1')
    if (-not $script:labSkip) {
        $script:work = Initialize-LabTest -Prefix rs
        $script:files = 1..3 | ForEach-Object { New-LabClusterFile -Folder $script:work -Name "rs-$_" }
    }
    # What a console offers after $Line (the cursor at its end).
    function Get-Completion([string] $Line) { (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText }
}

AfterAll {
    if ($script:work -and (Test-Path $script:work)) { Remove-Item $script:work -Recurse -Force }
}

Describe 'Jobs and runspaces over several live cluster files (lab)' -Tag Lab {
    It 'ForEach-Object -Parallel: one status per file, each from its own runspace' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        $m = $script:manifest
        $got = $script:files | ForEach-Object -Parallel {
            Import-Module $using:m
            Get-HaStatus -Path $_
        } -ThrottleLimit 3
        (@($got).Name | Sort-Object) | Should -Be @('rs-1', 'rs-2', 'rs-3')
        $got | ForEach-Object { $_.Quorate | Should -BeTrue }
    }

    It 'Start-ThreadJob: the nodes of each cluster' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        $m = $script:manifest
        $jobs = foreach ($f in $script:files) {
            Start-ThreadJob -ArgumentList $m, $f -ScriptBlock { param($m, $f) Import-Module $m; Get-HaNode -Path $f }
        }
        $nodes = @($jobs | Receive-Job -Wait -AutoRemoveJob)
        $nodes.Count | Should -Be 9
        ($nodes | Where-Object Online).Count | Should -Be 9
    }

    It 'Start-Job: a command on every node, in another pwsh process' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        $job = Start-Job -ArgumentList $script:manifest, $script:files -ScriptBlock {
            param($m, $files)
            Import-Module $m
            foreach ($f in $files) { Invoke-HaCommand -Path $f -All -Command uname -ArgumentList '-n' }
        }
        $got = @($job | Receive-Job -Wait -AutoRemoveJob)
        $got.Count | Should -Be 9
        ($got.StdOut | ForEach-Object Trim | Sort-Object -Unique) | Should -Be @('node1', 'node2', 'node3')
        $got | ForEach-Object { $_.ExitCode | Should -Be 0 }
    }

    It 'a cluster object from Get-HaCluster travels into ForEach-Object -Parallel' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        $m = $script:manifest
        $clusters = $script:files | ForEach-Object { Get-HaCluster -Path $_ }
        $got = $clusters | ForEach-Object -Parallel { Import-Module $using:m; Get-HaResource -Cluster $_ }
        @($got).Count | Should -Be 6
        ($got.Name | Sort-Object -Unique) | Should -Be @('svc', 'vip')
    }
}

Describe 'Argument completion with the cluster live (lab)' -Tag Lab {
    It 'completes the live cluster''s node names' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        $line = "Suspend-HaNode -Path '$($script:files[0])' -Name node"
        Get-Completion $line | Should -Be @('node1', 'node2', 'node3')
    }

    It 'completes the resource names of the file, which the live cluster runs' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        $line = "Move-HaResource -Path '$($script:labYaml)' -Name "
        $completed = Get-Completion $line
        $completed | Should -Be @('svc', 'vip')
        $live = (Get-HaResource -Path $script:labYaml).Name | Sort-Object -Unique
        $completed | Should -Be $live
    }
}

Describe 'Argument completion of names only the live cluster holds (lab)' -Tag Lab {
    BeforeAll {
        if (-not $script:labSkip) {
            # In the CIB only: examples/lab.yaml does not list it.
            $null = New-HaResource -Path $script:labYaml -Name liveonly -Agent ocf:heartbeat:Dummy -Wait -Confirm:$false -ErrorAction Stop
            # A file that lists two of the cluster's three members.
            $script:twoNodes = New-LabClusterFile -Folder $script:work -Name 'rs-two' -Nodes node1, node2
        }
    }

    AfterAll {
        if (-not $script:labSkip) { Remove-HaResource -Path $script:labYaml -Name liveonly -Confirm:$false -ErrorAction Continue | Out-Null }
    }

    It 'completes a resource made with New-HaResource from its prefix' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        $line = "Move-HaResource -Path '$($script:labYaml)' -Name live"
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $completed = Get-Completion $line
        Write-Host ("timing: completion of a live-only resource name {0:N0} ms" -f $sw.Elapsed.TotalMilliseconds)
        $completed | Should -Be @('liveonly')
    }

    It 'offers the file''s resources and the live ones together' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        $line = "Start-HaResource -Path '$($script:labYaml)' -Name "
        Get-Completion $line | Should -Be @('liveonly', 'svc', 'vip')
    }

    It 'completes a member the file does not list, for a command that names it to the cluster' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        $line = "Suspend-HaNode -Path '$($script:twoNodes)' -Name "
        Get-Completion $line | Should -Be @('node1', 'node2', 'node3')
    }

    It 'completes only the file''s nodes for a command that connects to the node itself' {
        if ($script:labSkip) { Set-ItResult -Skipped -Because $script:labSkip; return }
        $line = "Invoke-HaCommand -Path '$($script:twoNodes)' -Node "
        Get-Completion $line | Should -Be @('node1', 'node2')
    }
}
