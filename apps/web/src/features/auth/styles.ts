import '@mantine/core/styles/PasswordInput.css';
