// Attachments: drag and drop, several files at once, upload progress.
